package dev.kmapstress.torture;

import java.time.Duration;

/**
 * How a torture run stutters, as locktorture's {@code stutter} parameter: run for {@code run},
 * then pause every worker for {@code pause}, over and over. Spelled {@code RUN/PAUSE}
 * ({@code 500ms/10ms}; a pause of {@code 0} gathers the workers and lets them go at once),
 * {@code RUN} (pause as long as the run, as locktorture does) or {@code off}.
 */
public record StutterSpec(Duration run, Duration pause) {

    /** No stutter. */
    public static final StutterSpec OFF = new StutterSpec(Duration.ZERO, Duration.ZERO);

    /** Parses the {@code --stutter} spelling. */
    public static StutterSpec parse(String text) {
        String s = text.trim();
        if (s.equals("off") || s.equals("0")) {
            return OFF;
        }
        int slash = s.indexOf('/');
        Duration run = Durations.positive("run", slash < 0 ? s : s.substring(0, slash));
        Duration pause = slash < 0 ? run : Durations.parse("pause", s.substring(slash + 1));
        return new StutterSpec(run, pause);
    }

    /** Whether the run stutters at all. */
    public boolean on() {
        return !run.isZero();
    }

    /** The spelling {@link #parse} reads back. */
    @Override
    public String toString() {
        return on() ? Durations.format(run) + "/" + Durations.format(pause) : "off";
    }
}
