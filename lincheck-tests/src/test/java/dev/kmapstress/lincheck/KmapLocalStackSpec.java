package dev.kmapstress.lincheck;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The sequential specification of {@link KmapLocalTest}: one stack of pages per caller. A push
 * maps a page and reads it back, a pop unmaps the top one, a read sees every page of the
 * caller's stack through its own addresses; an interrupt maps, reads and unmaps a page of its
 * own and leaves the stack as it was; a preemption (switch to another task and back) changes
 * nothing the task can see. Other callers' stacks never show through.
 */
public final class KmapLocalStackSpec {

    private final List<Deque<Integer>> stacks = new ArrayList<>();

    public KmapLocalStackSpec() {
        for (int i = 0; i < KmapLocalTest.THREADS + 2; i++) {
            stacks.add(new ArrayDeque<>());
        }
    }

    public String push(int tid, int page) {
        stacks.get(tid).push(page);
        return PkmapApiTest.name(page);
    }

    public String pop(int tid) {
        Integer top = stacks.get(tid).poll();
        return top == null ? KmapLocalTest.EMPTY : PkmapApiTest.unmapped(top);
    }

    public String read(int tid) {
        return KmapLocalTest.describe(stacks.get(tid).stream().map(PkmapApiTest::name).toList());
    }

    public String interrupt(int tid, int page) {
        return PkmapApiTest.name(page);
    }

    public String preempt(int tid) {
        return KmapLocalTest.SWITCHED_BACK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KmapLocalStackSpec s && snapshot().equals(s.snapshot());
    }

    @Override
    public int hashCode() {
        return Objects.hash(snapshot());
    }

    private List<List<Integer>> snapshot() {
        return stacks.stream().map(d -> (List<Integer>) new ArrayList<>(d)).toList();
    }
}
