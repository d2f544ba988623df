package dev.kmapstress.report;

import dev.kmapstress.results.AtomicFiles;
import static dev.kmapstress.report.BenchmarkNames.ATOMIC;
import static dev.kmapstress.report.BenchmarkNames.BARE_LOCK;
import static dev.kmapstress.report.BenchmarkNames.HIT;
import static dev.kmapstress.report.BenchmarkNames.LOCAL;
import static dev.kmapstress.report.BenchmarkNames.TARGET_PROFILE;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The report's charts, as PNG files (XChart), each readable on its own: a title saying what
 * was measured and where, axes with units, a legend naming each series.
 * <ul>
 * <li>kmap_high hit + kunmap_high throughput versus threads, one line per lock;</li>
 * <li>bare lock+unlock throughput versus threads, one line per lock;</li>
 * <li>kmap_high versus kmap_local (and kmap_atomic) round trips per thread count;</li>
 * <li>bytes allocated per operation, per benchmark (its worst configuration).</li>
 * </ul>
 * A chart whose figures the run lacks is not drawn. Throughput axes switch to a logarithmic
 * scale, without error bars, when the series span more than a factor of {@value #LOG_SPAN}.
 */
public final class Charts {

    /** A chart written to a file. */
    public record ChartFile(String title, Path file) {
    }

    static final double LOG_SPAN = 20;
    private static final int WIDTH = 960;
    private static final int HEIGHT = 560;
    private static final String THREADS_AXIS = "JMH threads (each runs as one CPU of the model)";
    private static final String THROUGHPUT_AXIS = "throughput, operations per µs (all threads together)";

    private Charts() {
    }

    /** Draws every chart the run has figures for into {@code dir}, named after the run's file. */
    public static List<ChartFile> write(JmhRun run, Path dir) throws IOException {
        List<ChartFile> files = new ArrayList<>();
        String where = " (" + TARGET_PROFILE + ", " + run.stem() + ")";
        add(files, dir.resolve(run.stem() + "-hit-vs-threads.png"), perLockVersusThreads(filterHits(run),
                "kmap_high hit + kunmap_high: throughput vs threads, per lock" + where));
        add(files, dir.resolve(run.stem() + "-lock-vs-threads.png"), perLockVersusThreads(
                run.of(BARE_LOCK).stream().filter(JmhResult::higherIsBetter).collect(Collectors.toList()),
                "Bare spin_lock + spin_unlock: throughput vs threads, per lock" + where));
        add(files, dir.resolve(run.stem() + "-high-vs-local.png"), highVersusLocal(run, where));
        add(files, dir.resolve(run.stem() + "-allocation.png"), allocation(run));
        return files;
    }

    private static List<JmhResult> filterHits(JmhRun run) {
        return run.of(HIT).stream().filter(JmhResult::higherIsBetter)
                .filter(r -> TARGET_PROFILE.equals(r.param("profile")))
                .filter(r -> "true".equals(r.param("statistics")))
                .collect(Collectors.toList());
    }

    private static void add(List<ChartFile> files, Path file, Optional<? extends Chart<?, ?>> chart)
            throws IOException {
        if (chart.isPresent()) {
            byte[] png = BitmapEncoder.getBitmapBytes(chart.get(), BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.write(file, png);
            files.add(new ChartFile(chart.get().getTitle(), file));
        }
    }

    /** One line per lock: throughput at each thread count. */
    static Optional<XYChart> perLockVersusThreads(List<JmhResult> results, String title) {
        if (results.isEmpty()) {
            return Optional.empty();
        }
        Map<String, TreeMap<Integer, Metric>> byLock = new TreeMap<>();
        for (JmhResult r : results) {
            byLock.computeIfAbsent(String.valueOf(r.param("lock")), k -> new TreeMap<>())
                    .put(r.threads(), r.primary());
        }
        boolean log = needsLog(results.stream().map(JmhResult::primary).collect(Collectors.toList()));
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(THREADS_AXIS).yAxisTitle(THROUGHPUT_AXIS + (log ? ", log scale" : "")).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(log);
        if (!log) {
            // A throughput is never negative: an error bar reaching below zero is cut at the axis.
            chart.getStyler().setYAxisMin(0.0);
        }
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setMarkerSize(8);
        byLock.forEach((lock, points) -> {
            double[] x = points.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = points.values().stream().mapToDouble(Metric::score).toArray();
            if (log) {
                chart.addSeries(lock, x, y);
            } else {
                chart.addSeries(lock, x, y, points.values().stream().mapToDouble(Charts::errorBar).toArray());
            }
        });
        return Optional.of(chart);
    }

    /** Bars per thread count: the fastest lock's kmap_high round trip against kmap_local/atomic. */
    static Optional<CategoryChart> highVersusLocal(JmhRun run, String where) {
        Map<String, List<JmhResult>> series = new LinkedHashMap<>();
        series.put("kmap_local_page + kunmap_local", onProfile(run, LOCAL));
        series.put("kmap_atomic + kunmap_atomic", onProfile(run, ATOMIC));
        if (series.values().stream().allMatch(List::isEmpty)) {
            return Optional.empty();
        }
        TreeSet<Integer> threads = new TreeSet<>();
        series.values().forEach(l -> l.forEach(r -> threads.add(r.threads())));
        List<JmhResult> high = new ArrayList<>();
        for (int t : threads) {
            Targets.fastest(atThreads(filterHits(run), t)).ifPresent(high::add);
        }
        Map<String, List<JmhResult>> all = new LinkedHashMap<>();
        all.put("kmap_high hit + kunmap_high, fastest lock", high);
        all.putAll(series);
        List<String> categories = threads.stream().map(t -> t + (t == 1 ? " thread" : " threads"))
                .collect(Collectors.toList());
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("kmap_high vs kmap_local round trips" + where)
                .xAxisTitle(THREADS_AXIS).yAxisTitle(THROUGHPUT_AXIS).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0);
        all.forEach((name, results) -> {
            if (!results.isEmpty()) {
                List<Double> y = new ArrayList<>();
                List<Double> err = new ArrayList<>();
                for (int t : threads) {
                    Optional<JmhResult> r = Targets.fastest(atThreads(results, t));
                    y.add(r.map(x -> x.primary().score()).orElse(0.0));
                    err.add(r.map(x -> errorBar(x.primary())).orElse(0.0));
                }
                chart.addSeries(name, categories, y, err);
            }
        });
        return Optional.of(chart);
    }

    /**
     * Two bars per benchmark: its worst bytes per operation at 1 thread, where the allocation
     * target is judged, and with more threads, where JMH's own allocation spread over few
     * operations can dominate (see {@link Targets#allocationFree}).
     */
    static Optional<CategoryChart> allocation(JmhRun run) {
        Map<String, Double> single = new TreeMap<>();
        Map<String, Double> more = new TreeMap<>();
        for (JmhResult r : run.results()) {
            if (r.allocation() != null) {
                single.putIfAbsent(r.name(), 0.0);
                more.putIfAbsent(r.name(), 0.0);
                (r.threads() == 1 ? single : more).merge(r.name(), r.allocation().score(), Math::max);
            }
        }
        if (single.isEmpty()) {
            return Optional.empty();
        }
        double max = Math.max(Collections.max(single.values()), Collections.max(more.values()));
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Allocation per operation (-prof gc), worst configuration of each benchmark ("
                        + run.stem() + ")")
                .xAxisTitle("benchmark").yAxisTitle("bytes allocated per operation (B/op); allocation-free below "
                        + Numbers.format(Targets.ALLOCATION_FREE_BELOW)).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.max(2 * Targets.ALLOCATION_FREE_BELOW, 1.1 * max));
        List<String> names = new ArrayList<>(single.keySet());
        chart.addSeries("1 thread", names, new ArrayList<>(single.values()));
        chart.addSeries("more threads", names, new ArrayList<>(more.values()));
        return Optional.of(chart);
    }

    private static List<JmhResult> atThreads(List<JmhResult> results, int threads) {
        return results.stream().filter(r -> r.threads() == threads).collect(Collectors.toList());
    }

    private static List<JmhResult> onProfile(JmhRun run, String name) {
        return run.of(name).stream().filter(JmhResult::higherIsBetter)
                .filter(r -> Targets.matches(r.param("profile"), TARGET_PROFILE)
                        && Targets.matches(r.param("statistics"), "true"))
                .collect(Collectors.toList());
    }

    private static boolean needsLog(List<Metric> metrics) {
        double min = metrics.stream().mapToDouble(Metric::score).min().orElse(1);
        double max = metrics.stream().mapToDouble(Metric::score).max().orElse(1);
        return min > 0 && max / min > LOG_SPAN;
    }

    private static double errorBar(Metric m) {
        return m.hasError() ? m.error() : 0;
    }

    private static void style(Styler styler) {
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
    }
}
