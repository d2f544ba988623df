package dev.kmapstress.torture;

import java.io.PrintStream;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Terminal output: a progress bar on the last line (elapsed time, time remaining, mappings per
 * second), with every printed block written above it. Built on me.tongfei:progressbar, which
 * redraws the bar from its own thread.
 */
public final class ProgressBarOutput implements RunOutput {

    /** ANSI: carriage return and erase the whole line, where the bar was. */
    private static final String CLEAR_LINE = "\r\033[2K";

    private final PrintStream out;
    private ProgressBar bar;

    public ProgressBarOutput(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void print(List<String> lines) {
        if (bar != null) {
            out.print(CLEAR_LINE);
        }
        lines.forEach(out::println);
        out.flush();
        if (bar != null) {
            bar.refresh();
        }
    }

    @Override
    public synchronized void progress(long elapsedNanos, long totalNanos, double mapsPerSecond) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("torture").setInitialMax(totalNanos / 1_000_000)
                    .setUnit("s", 1000).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(out)).build();
        }
        bar.stepTo(Math.min(elapsedNanos, totalNanos) / 1_000_000);
        bar.setExtraMessage(String.format("%,.0f maps/s", mapsPerSecond));
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            out.print(CLEAR_LINE);
            out.flush();
            bar = null;
        }
    }
}
