package dev.kmapstress.cli;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.fault.Instrument;
import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.lock.LockStrategyProvider;
import dev.kmapstress.lock.wait.WaitStrategies;
import dev.kmapstress.machine.KernelOp;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.torture.Activities;
import dev.kmapstress.torture.Activity;
import dev.kmapstress.torture.Workload;
import java.io.PrintWriter;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code kmap-stress list [WHAT]}: what this build (and the jars on its class path) offers, one
 * item a line as {@code NAME<TAB>description}, so that {@code cut -f1} gives the names the
 * options take. Without an argument it lists the lists.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Lists what exists, one item a line: NAME<TAB>description.",
                "locks: lock strategies (--lock, --locks), user locks marked 'user', negative controls 'broken';"
                        + " wait-strategies (--wait-strategy); profiles (--profile); workloads (--workload);"
                        + " faults (--fault) with the instruments that catch each."})
final class ListCommand implements Runnable {

    /** Each list: its one-line description and how it prints its items. */
    private static final Map<String, Lister> LISTS = new LinkedHashMap<>();

    static {
        LISTS.put("locks", new Lister("lock strategies of kmap_lock and the other spinlocks (--lock, --locks)",
                ListCommand::locks));
        LISTS.put("wait-strategies", new Lister("how a task waits for a free PKMAP slot (--wait-strategy)",
                out -> WaitStrategies.names().forEach(n -> item(out, n, WaitStrategies.description(n)))));
        LISTS.put("profiles", new Lister("kernel builds the machine can be (--profile)",
                out -> Arrays.stream(Profile.values()).forEach(p -> item(out, p.id(), p.description()))));
        LISTS.put("workloads", new Lister("what torture rounds do (--workload; mix them as mixed:NAME=WEIGHT,...)",
                ListCommand::workloads));
        LISTS.put("faults", new Lister("seeded faults, default off (--fault), and the instruments that catch each",
                ListCommand::faults));
    }

    private record Lister(String description, Consumer<PrintWriter> items) {
    }

    @Parameters(arity = "0..1", paramLabel = "WHAT",
            description = "locks, wait-strategies, profiles, workloads or faults (default: the lists).")
    String what;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        if (what == null) {
            LISTS.forEach((name, lister) -> item(out, name, lister.description()));
        } else {
            Lister lister = LISTS.get(what);
            if (lister == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown list '" + what
                        + "'; allowed: " + String.join(", ", LISTS.keySet()));
            }
            lister.items().accept(out);
        }
        out.flush();
    }

    private static void item(PrintWriter out, String name, String description) {
        out.println(name + "\t" + description);
    }

    private static void locks(PrintWriter out) {
        CodeSource ours = LockRegistry.class.getProtectionDomain().getCodeSource();
        for (LockStrategyProvider p : LockRegistry.standard().providers()) {
            CodeSource theirs = p.getClass().getProtectionDomain().getCodeSource();
            String marks = (p.broken() ? "broken, " : "")
                    + (Objects.equals(location(ours), location(theirs)) ? "" : "user, ");
            item(out, p.name(), (marks.isEmpty() ? "" : "[" + marks.substring(0, marks.length() - 2) + "] ")
                    + p.description());
        }
    }

    private static Object location(CodeSource source) {
        return source == null ? null : source.getLocation();
    }

    private static void workloads(PrintWriter out) {
        for (Activity a : Activities.all()) {
            item(out, a.name(), a.ops().stream().map(KernelOp::word).collect(Collectors.joining(", ")));
        }
        item(out, "mixed", "every one above in equal shares");
        for (Workload.User u : Workload.USERS) {
            item(out, u.name(), u.mix() + (u.interrupts() ? " with --irq" : "") + ": " + u.rationale());
        }
    }

    private static void faults(PrintWriter out) {
        for (Fault f : Fault.values()) {
            String caught = f.caughtBy().isEmpty() ? "benign: no instrument should catch it"
                    : "caught by " + f.caughtBy().stream().map(Instrument::id).collect(Collectors.joining(", "));
            item(out, f.name(), f.summary() + "; " + caught);
        }
    }
}
