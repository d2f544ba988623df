// SPDX-License-Identifier: GPL-2.0
/*
 * kcheck: runs one kmap-stress scenario inside the real kernel.
 *
 * The steps arrive as the module parameter "steps" (written by kmap-stress kernel-check),
 * separated by ';', each "CPU OP ARGS": "0 kmap p3", "1 write ff001000 0 a0", "1 wait",
 * "- page_address p0" (a check of the machine, asked on the lowest CPU that is not blocked).
 * One kthread per CPU, bound to it, runs that CPU's steps; the controller (the insmod task,
 * moved to the CPU after the scenario's) hands each step to its kthread and waits until the
 * step is done or the kthread sleeps inside it (a kmap waiting for a free slot: "blocked"), so
 * the interleaving is exactly the script's. Results go to the kernel log, one line per step:
 *   KCHECK step N = RESULT
 * Faults are caught by the exception table (no oops) and
 * reported as "KCHECK fault ADDR"; the kernel's own reports (WARNING, BUG) appear in the log
 * where the kernel prints them.
 *
 * Prologue (before any step): the kernel has used PKMAP since boot, so the module first brings
 * the window to the model's starting state: it kmaps LAST_PKMAP scratch pages and keeps them
 * (every slot is then ours, whatever boot left behind: a scan that wrapped flushed it), unmaps
 * those in slots 0..window-1, and kmaps one more page: the scan passes the held slots, wraps to
 * slot 0, flushes, and returns slot 0, which it unmaps. Then last_pkmap_nr = 0, slots
 * 1..window-1 are free and flushed, slot 0 holds an unused count-1 mapping (the next wrap frees
 * it, as it would a free slot), and slots window..LAST_PKMAP-1 stay held, so a scenario's
 * smaller window (last-pkmap=4) wraps exactly where the model's does.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmap-stress kernel-check: a scenario run by the real kernel");

static char *steps = "";
module_param(steps, charp, 0);
static int cpus = 2;
module_param(cpus, int, 0);
static int highmem_pages = 8;
module_param(highmem_pages, int, 0);
static int lowmem_pages = 2;
module_param(lowmem_pages, int, 0);
static int window = LAST_PKMAP;
module_param(window, int, 0);
static unsigned long flush_unused_addr;
module_param(flush_unused_addr, ulong, 0);
static unsigned long flush_tlb_all_addr;
module_param(flush_tlb_all_addr, ulong, 0);
static int step_timeout_ms = 10000;
module_param(step_timeout_ms, int, 0);

#define MAX_CPUS 8
#define MAX_TASKS 32
#define MAX_STEPS 512
#define MAX_HIGH 4096
#define MAX_LOW 64
#define STACK 32
#define NAME_LEN 16

enum op {
	OP_KMAP, OP_KUNMAP, OP_KMAP_LOCAL_PAGE, OP_KUNMAP_LOCAL, OP_KMAP_ATOMIC, OP_KUNMAP_ATOMIC,
	OP_KMAP_FLUSH_UNUSED, OP_PAGE_ADDRESS, OP_KMAP_TO_PAGE, OP_READ, OP_WRITE,
	OP_LOCAL_IRQ_DISABLE, OP_LOCAL_IRQ_ENABLE, OP_WAIT, OP_FLUSH_TLB_ALL, OP_IRQ_ENTER,
	OP_IRQ_EXIT, OP_TASK, OP_FORK,
};

static const char *const op_words[] = {
	"kmap", "kunmap", "kmap_local_page", "kunmap_local", "kmap_atomic", "kunmap_atomic",
	"kmap_flush_unused", "page_address", "kmap_to_page", "read", "write",
	"local_irq_disable", "local_irq_enable", "wait", "flush_tlb_all", "irq_enter",
	"irq_exit", "task", "fork",
};

struct step {
	int cpu;		/* -1: a check, asked on the lowest CPU that is not blocked */
	enum op op;
	struct page *page;
	unsigned long addr;	/* 0 with top: the kthread's top local mapping */
	bool top;
	int word;
	u32 value;
	char name[NAME_LEN];	/* task, fork */
};

/*
 * A task of the scenario: a kthread bound to its CPU. Each CPU starts with kmap/N; "fork"
 * creates another, "task" makes it the one the CPU's next steps go to (a context switch: the
 * old one sleeps, the new one runs). An "irq_enter" step raises a self-IPI (irq_work) on the
 * running kthread: its handler runs the CPU's steps in hard-IRQ context, on top of the
 * interrupted task's kmap_local stack, until "irq_exit".
 */
struct worker {
	char name[NAME_LEN];
	int cpu;
	struct task_struct *task;
	struct completion go;
	const struct step *step;
	int running;		/* set by the kthread while it executes a step */
	int done;		/* set (release) by the kthread when the step is done */
	bool blocked;		/* the controller saw it sleep inside its step */
	int dead_at;		/* the step whose fault killed it (an oops would have), or -1 */
	bool quit;
	char result[24];
	unsigned long fault;	/* address of a caught fault, 0 if none */
	unsigned long stack[STACK];	/* its kmap_local / kmap_atomic addresses, oldest first */
	int depth;
	int atomic;		/* kmap_atomic, IRQs off, in an IRQ: no sleep between steps */
	struct irq_work irq;
	int irq_taken;		/* the handler of its irq_enter has started */
};

static struct step script[MAX_STEPS];
static int nr_steps;
static struct page *high[MAX_HIGH], *low[MAX_LOW];
static struct worker tasks[MAX_TASKS];
static int nr_tasks;
static struct worker *running_task[MAX_CPUS];	/* the task each CPU's steps go to */

/*
 * A CPU whose task sleeps inside a step is frozen until the script's "wait", as in the model:
 * a SCHED_FIFO kthread spins on it with preemption off (IRQs on: it still takes TLB-flush
 * IPIs), so a task woken meanwhile stays queued instead of running at once.
 */
struct gate {
	struct task_struct *task;
	struct completion go;
	int hold;
	int holding;
};

static struct gate gates[MAX_CPUS];

static int parse_page(const char *w, struct page **out)
{
	unsigned int k;

	if ((w[0] != 'p' && w[0] != 'l') || kstrtouint(w + 1, 10, &k))
		return -EINVAL;
	if (w[0] == 'p' ? k >= highmem_pages : k >= lowmem_pages)
		return -ERANGE;
	*out = w[0] == 'p' ? high[k] : low[k];
	return 0;
}

static int parse_step(char *text, struct step *s)
{
	char *w[5];
	int n = 0, i;
	char *tok;

	while ((tok = strsep(&text, " ")) != NULL)
		if (*tok && n < 5)
			w[n++] = tok;
	if (n < 2)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	if (!strcmp(w[0], "-"))
		s->cpu = -1;
	else if (kstrtoint(w[0], 10, &s->cpu) || s->cpu < 0 || s->cpu >= cpus)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(op_words); i++)
		if (!strcmp(w[1], op_words[i]))
			break;
	if (i == ARRAY_SIZE(op_words))
		return -ENOENT;
	s->op = i;
	switch (s->op) {
	case OP_KMAP: case OP_KUNMAP: case OP_KMAP_LOCAL_PAGE: case OP_KMAP_ATOMIC:
	case OP_PAGE_ADDRESS:
		return n == 3 ? parse_page(w[2], &s->page) : -EINVAL;
	case OP_KUNMAP_LOCAL: case OP_KUNMAP_ATOMIC:
		if (n != 3)
			return -EINVAL;
		s->top = !strcmp(w[2], "top");
		return s->top ? 0 : kstrtoul(w[2], 16, &s->addr);
	case OP_KMAP_TO_PAGE:
		return n == 3 ? kstrtoul(w[2], 16, &s->addr) : -EINVAL;
	case OP_READ:
		if (n != 4)
			return -EINVAL;
		return kstrtoul(w[2], 16, &s->addr) ?: kstrtoint(w[3], 10, &s->word);
	case OP_WRITE:
		if (n != 5)
			return -EINVAL;
		return kstrtoul(w[2], 16, &s->addr) ?: kstrtoint(w[3], 10, &s->word)
			?: kstrtou32(w[4], 16, &s->value);
	case OP_KMAP_FLUSH_UNUSED:
		return n == 2 && flush_unused_addr ? 0 : -ENOSYS;
	case OP_FLUSH_TLB_ALL:
		return n == 2 && flush_tlb_all_addr ? 0 : -ENOSYS;
	case OP_TASK: case OP_FORK:
		if (n != 3 || strlen(w[2]) >= NAME_LEN)
			return -EINVAL;
		strscpy(s->name, w[2], NAME_LEN);
		return 0;
	default:
		return n == 2 ? 0 : -EINVAL;
	}
}

static const char *page_name(struct page *p, char *buf, size_t len)
{
	int k;

	for (k = 0; k < highmem_pages; k++)
		if (p == high[k])
			return snprintf(buf, len, "p%d", k), buf;
	for (k = 0; k < lowmem_pages; k++)
		if (p == low[k])
			return snprintf(buf, len, "l%d", k), buf;
	return "NULL";
}

static void set_address(struct worker *w, void *vaddr)
{
	if (vaddr)
		snprintf(w->result, sizeof(w->result), "0x%08lx", (unsigned long)vaddr);
	else
		strscpy(w->result, "NULL", sizeof(w->result));
}

static void push_local(struct worker *w, void *vaddr)
{
	if (w->depth < STACK)
		w->stack[w->depth++] = (unsigned long)vaddr;
}

/* The address a kunmap_local/kunmap_atomic step names, taken off the kthread's record. */
static unsigned long pop_local(struct worker *w, const struct step *s)
{
	unsigned long addr = s->top && w->depth ? w->stack[w->depth - 1] : s->addr;
	int i;

	for (i = w->depth - 1; i >= 0; i--) {
		if (w->stack[i] == addr) {
			memmove(&w->stack[i], &w->stack[i + 1], (w->depth - i - 1) * sizeof(long));
			w->depth--;
			break;
		}
	}
	return addr;
}

/*
 * A read or write of one word through a kernel address. A fault is caught by the exception
 * table (the __{get,put}_kernel_nofault accessors, with page faults disabled) instead of
 * oopsing, so the kthread lives on; the step reports it.
 */
static void access_word(struct worker *w, const struct step *s, bool write)
{
	u32 *p = (u32 *)(s->addr + 4 * s->word);
	u32 v = s->value;

	pagefault_disable();
	if (write)
		__put_kernel_nofault(p, &v, u32, fault);
	else
		__get_kernel_nofault(&v, p, u32, fault);
	pagefault_enable();
	if (write)
		strscpy(w->result, "ok", sizeof(w->result));
	else
		snprintf(w->result, sizeof(w->result), "0x%08x", v);
	return;
fault:
	pagefault_enable();
	w->fault = (unsigned long)p;
	strscpy(w->result, "oops", sizeof(w->result));
}

static void step_done(struct worker *w)
{
	WRITE_ONCE(w->running, 0);
	smp_store_release(&w->done, 1);
}

/* Waits for the next step without sleeping (IRQs off, preemption off or in an IRQ). */
static void spin_for_step(struct worker *w)
{
	while (!try_wait_for_completion(&w->go))
		cpu_relax();
}

static void run_step(struct worker *w, const struct step *s);

/*
 * The interrupt: runs in hard-IRQ context on the CPU of the task it interrupted, and takes that
 * CPU's steps there (each reported done) until irq_exit.
 */
static void irq_handler(struct irq_work *work)
{
	struct worker *w = container_of(work, struct worker, irq);

	WRITE_ONCE(w->irq_taken, 1);
	w->atomic++;
	strscpy(w->result, in_hardirq() ? "ok" : "not-hardirq", sizeof(w->result));
	step_done(w);			/* the irq_enter step */
	for (;;) {
		spin_for_step(w);
		WRITE_ONCE(w->running, 1);
		run_step(w, w->step);
		if (w->step->op == OP_IRQ_EXIT)
			break;
		step_done(w);
	}
	w->atomic--;
	step_done(w);			/* the irq_exit step, done when the handler returns */
}

/* Runs one step on the kthread's CPU, in its context. */
static void run_step(struct worker *w, const struct step *s)
{
	char name[8];

	strscpy(w->result, "ok", sizeof(w->result));
	w->fault = 0;
	switch (s->op) {
	case OP_KMAP:
		set_address(w, kmap(s->page));
		break;
	case OP_KUNMAP:
		kunmap(s->page);
		break;
	case OP_KMAP_LOCAL_PAGE: {
		void *v = kmap_local_page(s->page);

		push_local(w, v);
		set_address(w, v);
		break;
	}
	case OP_KUNMAP_LOCAL:
		kunmap_local((void *)pop_local(w, s));
		break;
	case OP_KMAP_ATOMIC: {
		void *v = kmap_atomic(s->page);

		push_local(w, v);
		w->atomic++;
		set_address(w, v);
		break;
	}
	case OP_KUNMAP_ATOMIC:
		kunmap_atomic((void *)pop_local(w, s));
		w->atomic--;
		break;
	case OP_KMAP_FLUSH_UNUSED:
		((void (*)(void))flush_unused_addr)();
		break;
	case OP_PAGE_ADDRESS:
		set_address(w, page_address(s->page));
		break;
	case OP_KMAP_TO_PAGE:
		strscpy(w->result, page_name(kmap_to_page((void *)s->addr), name, sizeof(name)),
			sizeof(w->result));
		break;
	case OP_READ:
		access_word(w, s, false);
		break;
	case OP_WRITE:
		access_word(w, s, true);
		break;
	case OP_LOCAL_IRQ_DISABLE:
		local_irq_disable();
		w->atomic++;
		break;
	case OP_LOCAL_IRQ_ENABLE:
		local_irq_enable();
		w->atomic--;
		break;
	case OP_FLUSH_TLB_ALL:
		((void (*)(void))flush_tlb_all_addr)();
		break;
	case OP_IRQ_ENTER:
		/*
		 * A self-IPI: the handler reports this step done itself. The IRQ may arrive a few
		 * instructions late: spin (IRQs on) until it has, so it interrupts this task and not
		 * the idle task the kthread would sleep into.
		 */
		WRITE_ONCE(w->irq_taken, 0);
		irq_work_queue(&w->irq);
		while (!READ_ONCE(w->irq_taken))
			cpu_relax();
		break;
	case OP_IRQ_EXIT: case OP_WAIT: case OP_TASK: case OP_FORK:
		break;
	}
}

static int worker_fn(void *data)
{
	struct worker *w = data;
	const struct step *s;

	for (;;) {
		/* In kmap_atomic or with IRQs off it may not sleep: it spins for its next step. */
		if (w->atomic) {
			spin_for_step(w);
		} else if (wait_for_completion_interruptible(&w->go)) {
			continue;
		}
		if (READ_ONCE(w->quit))
			break;
		s = w->step;	/* the handler takes the next steps: w->step moves */
		WRITE_ONCE(w->running, 1);
		run_step(w, s);
		if (s->op != OP_IRQ_ENTER)	/* the handler reported it */
			step_done(w);
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int gate_fn(void *data)
{
	struct gate *g = data;

	for (;;) {
		if (wait_for_completion_interruptible(&g->go))
			continue;
		preempt_disable();
		WRITE_ONCE(g->holding, 1);
		while (READ_ONCE(g->hold))
			cpu_relax();
		WRITE_ONCE(g->holding, 0);
		preempt_enable();
	}
	return 0;
}

static void hold_cpu(int cpu)
{
	struct gate *g = &gates[cpu];

	WRITE_ONCE(g->hold, 1);
	complete(&g->go);
	while (!READ_ONCE(g->holding))
		usleep_range(20, 50);
}

static void release_cpu(int cpu)
{
	struct gate *g = &gates[cpu];

	WRITE_ONCE(g->hold, 0);
	while (READ_ONCE(g->holding))
		usleep_range(20, 50);
}

static int start_gate(int cpu)
{
	struct gate *g = &gates[cpu];

	init_completion(&g->go);
	g->task = kthread_create(gate_fn, g, "kcheck-gate/%d", cpu);
	if (IS_ERR(g->task))
		return PTR_ERR(g->task);
	kthread_bind(g->task, cpu);
	sched_set_fifo(g->task);
	wake_up_process(g->task);
	return 0;
}

/* Waits for the step on w: done, or asleep inside it (TASK_UNINTERRUPTIBLE: blocked). */
static const char *await(struct worker *w)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(step_timeout_ms);

	for (;;) {
		if (smp_load_acquire(&w->done))
			return w->result;
		if (READ_ONCE(w->running) && READ_ONCE(w->task->__state) == TASK_UNINTERRUPTIBLE) {
			w->blocked = true;
			hold_cpu(w->cpu);
			return "blocked";
		}
		if (time_after(jiffies, deadline))
			return NULL;
		usleep_range(20, 50);
	}
}

static const char *post(struct worker *w, const struct step *s)
{
	w->step = s;
	WRITE_ONCE(w->done, 0);
	complete(&w->go);
	return await(w);
}

static struct worker *idle_worker(void)
{
	int c;

	for (c = 0; c < cpus; c++)
		if (!running_task[c]->blocked)
			return running_task[c];
	return NULL;
}

static struct worker *find_task(const char *name)
{
	int i;

	for (i = 0; i < nr_tasks; i++)
		if (!strcmp(tasks[i].name, name))
			return &tasks[i];
	return NULL;
}

/* A new kthread on `cpu`, waiting for its first step (a fork: its kmap_local stack is empty). */
static struct worker *new_task(const char *name, int cpu)
{
	struct worker *w;

	if (nr_tasks == MAX_TASKS)
		return NULL;
	w = &tasks[nr_tasks];
	strscpy(w->name, name, NAME_LEN);
	w->dead_at = -1;
	w->cpu = cpu;
	init_completion(&w->go);
	init_irq_work(&w->irq, irq_handler);
	w->task = kthread_create(worker_fn, w, "%s", name);
	if (IS_ERR(w->task))
		return NULL;
	kthread_bind(w->task, cpu);
	wake_up_process(w->task);
	nr_tasks++;
	return w;
}

/*
 * "task NAME" on a CPU: refused while its running task may not be preempted (kmap_atomic, IRQs
 * off, in an interrupt), as preempt_schedule() would not switch; otherwise NAME (created if
 * new) runs the step, which makes the CPU switch to it.
 */
static const char *switch_task(const struct step *s, int i)
{
	struct worker *next = find_task(s->name);

	if (running_task[s->cpu]->atomic)
		return "refused";
	if (!next)
		next = new_task(s->name, s->cpu);
	if (!next || next->cpu != s->cpu) {
		pr_notice("KCHECK step %d cannot: task %s %s\n", i, s->name,
			  next ? "runs on another CPU" : "cannot be created");
		return NULL;
	}
	running_task[s->cpu] = next;
	return post(next, s);
}

/* Runs the script; returns 0, or -1 where a step cannot go on (printed). */
static int run_script(void)
{
	int i;

	for (i = 0; i < nr_steps; i++) {
		const struct step *s = &script[i];
		struct worker *w = s->cpu < 0 ? idle_worker() : running_task[s->cpu];
		const char *res;

		if (!w) {
			pr_notice("KCHECK step %d cannot: every CPU is blocked\n", i);
			return -1;
		}
		if (s->op == OP_WAIT) {
			if (!w->blocked) {
				pr_notice("KCHECK step %d cannot: cpu%d is not blocked\n", i, w->cpu);
				return -1;
			}
			w->blocked = false;
			release_cpu(w->cpu);
			res = await(w);
		} else if (w->blocked) {
			pr_notice("KCHECK step %d cannot: cpu%d is blocked\n", i, w->cpu);
			return -1;
		} else if (w->dead_at >= 0 && s->cpu >= 0 && s->op != OP_TASK) {
			pr_notice("KCHECK step %d cannot: the task of cpu%d died in the fault of step %d\n",
				  i, w->cpu, w->dead_at);
			return -1;
		} else if (s->op == OP_TASK) {
			res = switch_task(s, i);
			if (!res)
				return -1;
			w = running_task[s->cpu];
		} else if (s->op == OP_FORK) {
			/*
			 * kthreadd forks our kthreads, not the running task: a child of a task that
			 * holds kmap_local mappings (kmap_local_fork() WARNs) cannot be made here.
			 */
			if (w->depth) {
				pr_notice("KCHECK step %d cannot: fork from a task holding kmap_local"
					  " mappings (kthreadd forks the module's tasks)\n", i);
				return -1;
			}
			if (find_task(s->name) || !new_task(s->name, s->cpu)) {
				pr_notice("KCHECK step %d cannot: fork %s\n", i, s->name);
				return -1;
			}
			res = "ok";
		} else {
			res = post(w, s);
		}
		if (!res) {
			pr_notice("KCHECK step %d timeout: cpu%d did not finish in %d ms\n", i, w->cpu,
				  step_timeout_ms);
			return -1;
		}
		if (w->fault && !w->blocked) {
			/*
			 * Uncaught, the fault would have oopsed and make_task_dead() would have ended
			 * the task: it takes no further step, as in the model; the CPU can switch
			 * to another task.
			 */
			pr_notice("KCHECK fault %08lx\n", w->fault);
			w->dead_at = i;
		}
		w->fault = 0;
		pr_notice("KCHECK step %d = %s\n", i, res);
	}
	return 0;
}

/* Brings PKMAP to the model's starting state for a window of `window` slots (see the top). */
static int prologue(void)
{
	struct page **held;
	struct page *last;
	unsigned long vaddr;
	int i, nr, err = -EIO;

	held = kcalloc(LAST_PKMAP, sizeof(*held), GFP_KERNEL);
	if (!held)
		return -ENOMEM;
	for (i = 0; i < LAST_PKMAP; i++) {
		struct page *p = alloc_page(GFP_HIGHUSER);

		if (!p || !PageHighMem(p)) {
			pr_notice("KCHECK error: prologue: no highmem page for slot %d\n", i);
			goto out;
		}
		nr = PKMAP_NR((unsigned long)kmap(p));
		if (held[nr]) {
			pr_notice("KCHECK error: prologue: slot %d returned twice\n", nr);
			goto out;
		}
		held[nr] = p;
	}
	for (nr = 0; nr < window; nr++)
		kunmap(held[nr]);
	last = alloc_page(GFP_HIGHUSER);
	if (!last)
		goto out;
	vaddr = (unsigned long)kmap(last);
	kunmap(last);
	if (vaddr != PKMAP_ADDR(0)) {
		pr_notice("KCHECK error: prologue: the wrap returned %08lx, not slot 0\n", vaddr);
		goto out;
	}
	pr_notice("KCHECK prologue: slots 1..%d free, %d..%d held, last_pkmap_nr 0\n", window - 1,
		  window, LAST_PKMAP - 1);
	err = 0;
out:
	kfree(held);	/* the pages stay: held slots keep their mappings until power-off */
	return err;
}

static int __init kcheck_init(void)
{
	char *text, *cursor, *one;
	int i, err;

	if (cpus < 1 || cpus > MAX_CPUS || cpus >= num_online_cpus() || highmem_pages > MAX_HIGH
	    || lowmem_pages > MAX_LOW || window < 1 || window > LAST_PKMAP) {
		pr_notice("KCHECK error: cpus=%d (1..%d, fewer than the %d online), highmem_pages=%d"
			  " (<= %d), lowmem_pages=%d (<= %d), window=%d (1..%d)\n", cpus, MAX_CPUS,
			  num_online_cpus(), highmem_pages, MAX_HIGH, lowmem_pages, MAX_LOW, window,
			  LAST_PKMAP);
		return -EINVAL;
	}
	/* The controller runs on a CPU of its own: a worker may spin with IRQs off on another. */
	set_cpus_allowed_ptr(current, cpumask_of(cpus));
	for (i = 0; i < highmem_pages; i++) {
		high[i] = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
		if (!high[i] || !PageHighMem(high[i])) {
			pr_notice("KCHECK error: page p%d is not a highmem page\n", i);
			return -ENOMEM;
		}
	}
	for (i = 0; i < lowmem_pages; i++) {
		low[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!low[i])
			return -ENOMEM;
	}
	text = kstrdup(steps, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	cursor = text;
	while ((one = strsep(&cursor, ";")) != NULL) {
		if (!*one)
			continue;
		if (nr_steps == MAX_STEPS) {
			pr_notice("KCHECK error: more than %d steps\n", MAX_STEPS);
			return -E2BIG;
		}
		err = parse_step(one, &script[nr_steps]);
		if (err == -ENOSYS) {
			pr_notice("KCHECK error: step %d needs a kernel symbol /init did not find in"
				  " /proc/kallsyms\n", nr_steps);
			return err;
		} else if (err) {
			pr_notice("KCHECK error: step %d does not parse (%d)\n", nr_steps, err);
			return -EINVAL;
		}
		nr_steps++;
	}
	kfree(text);
	err = prologue();
	if (err)
		return err;
	for (i = 0; i < cpus; i++) {
		char name[NAME_LEN];

		err = start_gate(i);
		if (err)
			return err;
		snprintf(name, sizeof(name), "kmap/%d", i);
		running_task[i] = new_task(name, i);
		if (!running_task[i])
			return -ENOMEM;
	}
	pr_notice("KCHECK start %d steps on %d CPUs\n", nr_steps, cpus);
	err = run_script();
	pr_notice("KCHECK end %s\n", err ? "stopped" : "done");
	return 0;
}

static void __exit kcheck_exit(void)
{
}

module_init(kcheck_init);
module_exit(kcheck_exit);
