package dev.kmapstress.jcstress.suite;

import dev.kmapstress.jcstress.support.Detectors;
import dev.kmapstress.jcstress.support.NegativeControl;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.jcstress.support.Smoke;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jcstress.infra.runners.TestList;

/**
 * The tests one suite run expects to see results for: every JCStress test compiled into this
 * jar (its {@code META-INF/TestList}), narrowed to the smoke subset ({@link Smoke} tests, every
 * {@link NegativeControl} that has a verdict, and the faithful race of every control whose
 * {@link Detectors} are shortened, which must run clean beside it) or not, and optionally by a
 * name pattern.
 */
final class Selection {

    /**
     * The most a top-up pass multiplies a test's first-pass time by: it bounds what a test
     * whose samples are slow (a lockup ends each at the 2 s detectors) adds to a full run.
     */
    static final int MAX_TOP_UP = 20;

    /**
     * How much more than its shortfall a top-up asks for. A pass k times as long gives a slow
     * test fewer than k times the samples: most of a slow test's samples come from JCStress's
     * sizing of each fork, which grows its batches until one outlasts an iteration but never past
     * a whole pass (1,024 samples). How much fewer, measured on the fair lock's tests, and what
     * this margin costs: jcstress-tests/README.md, "Density".
     */
    static final double TOP_UP_MARGIN = 1.5;

    /** What a test must show, and the samples a full run aims to give it. */
    enum Role {
        /** A faithful race: any forbidden outcome fails the suite. */
        FAITHFUL(100_000),
        /** A negative control: it fails the suite unless it shows a forbidden outcome. */
        CONTROL(1_000),
        /** A control of a benign breakage: like a faithful test, it must stay clean. */
        BENIGN(100_000),
        /** A breakage with a window too narrow to hit: reported, never judged (full suite only). */
        NARROW(0);

        private final long aim;

        Role(long aim) {
            this.aim = aim;
        }

        /** Samples a full run aims at for a test of this role (0: none). */
        long aim() {
            return aim;
        }
    }

    /** One selected test. */
    record Entry(String name, Role role, NegativeControl control, int threads) {

        String simpleName() {
            return name.substring(name.lastIndexOf('.') + 1);
        }
    }

    /** The package of the tests generated per lock strategy (the {@code locks} suite's tests). */
    private static final String LOCK_TESTS = "dev.kmapstress.jcstress.locks.";

    private final List<Entry> entries;

    private Selection(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * The tests of {@code kind}, narrowed to names matching {@code only} (found anywhere in the
     * name, as JCStress's {@code -t} does) when it is not null.
     */
    static Selection of(Suite.Kind kind, Pattern only) {
        List<Entry> list = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(TestList.tests());
        Set<String> twins = shortenedTwins(names);
        for (String name : names) {
            Class<?> type = load(name);
            NegativeControl control = type.getAnnotation(NegativeControl.class);
            Role role = role(control);
            boolean smoke = role == Role.CONTROL || role == Role.BENIGN || type.isAnnotationPresent(Smoke.class)
                    || twins.contains(name);
            boolean lockTest = name.startsWith(LOCK_TESTS);
            if ((kind == Suite.Kind.SMOKE && !smoke) || (kind == Suite.Kind.LOCKS && !lockTest)
                    || (only != null && !only.matcher(name).find())) {
                continue;
            }
            list.add(new Entry(name, role, control, TestList.getInfo(name).threads()));
        }
        return new Selection(list);
    }

    /** The faithful races of the controls among {@code names} whose detectors are shortened. */
    private static Set<String> shortenedTwins(Set<String> names) {
        Set<String> twins = new HashSet<>();
        for (String name : names) {
            Class<?> type = load(name);
            NegativeControl control = type.getAnnotation(NegativeControl.class);
            if (control != null && SmallMachine.detectorsOf(type).compareTo(SmallMachine.DETECTORS) < 0) {
                twins.add(control.of().getName());
            }
        }
        return twins;
    }

    private static Role role(NegativeControl control) {
        if (control == null) {
            return Role.FAITHFUL;
        }
        return switch (control.expect()) {
            case CAUGHT -> Role.CONTROL;
            case BENIGN -> Role.BENIGN;
            case NARROW -> Role.NARROW;
        };
    }

    List<Entry> entries() {
        return entries;
    }

    /** This selection without the tests {@code dropped} matches: what deleting them would leave. */
    Selection without(Predicate<Entry> dropped) {
        return new Selection(entries.stream().filter(dropped.negate()).toList());
    }

    /**
     * The tests to run again after a pass that judged them {@code verdicts}, by the time per
     * iteration each needs: every control not caught ({@link Suite.Kind#retryMillis()}), with its
     * faithful race beside it when this selection has it, so that a second look at the broken
     * model is also a second look at the faithful one (and a shortened detector is judged beside
     * its race run clean in the same pass); and, in a suite that tops up, every test judged ok
     * after its first pass but short of its role's density aim, for {@link #TOP_UP_MARGIN} times
     * as many times the first pass's time as the shortfall asks, at most {@link #MAX_TOP_UP}.
     */
    SortedMap<Integer, Selection> again(List<Verdict> verdicts, Suite.Kind kind) {
        Map<String, Integer> millis = new HashMap<>();
        for (Verdict v : verdicts) {
            long aim = v.entry().role().aim();
            if (v.uncaught()) {
                millis.merge(v.entry().name(), kind.retryMillis(), Math::max);
                millis.merge(v.entry().control().of().getName(), kind.retryMillis(), Math::max);
            } else if (kind.topsUp() && v.ok() && v.passes() == 1 && v.samples() > 0 && v.samples() < aim) {
                long scale = Math.min(MAX_TOP_UP, (long) Math.ceil(TOP_UP_MARGIN * aim / v.samples()));
                millis.merge(v.entry().name(), (int) (kind.millis() * scale), Math::max);
            }
        }
        SortedMap<Integer, Selection> byMillis = new TreeMap<>();
        for (Integer m : new TreeSet<>(millis.values())) {
            byMillis.put(m, without(e -> !m.equals(millis.get(e.name()))));
        }
        byMillis.values().removeIf(s -> s.entries().isEmpty());
        return byMillis;
    }

    /** The {@code -t} pattern that selects exactly these tests. */
    String regex() {
        return entries.stream().map(e -> Pattern.quote(e.name()))
                .collect(Collectors.joining("|", "^(?:", ")$"));
    }

    /** The largest number of actors any selected test needs. */
    int maxThreads() {
        return entries.stream().mapToInt(Entry::threads).max().orElse(0);
    }

    static Class<?> load(String name) {
        try {
            return Class.forName(name, false, Selection.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("JCStress lists test " + name + " but the class is not in"
                    + " this jar; rebuild jcstress-tests", e);
        }
    }
}
