package dev.kmapstress.torture;

import dev.kmapstress.report.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The charts of a comparison, drawn with XChart and written atomically as PNG (the build keeps
 * XChart's vector and PDF encoders out of the jar): mappings per second per lock/wait strategy,
 * and latency percentiles per lock/wait strategy (log scale). Each chart is readable on its
 * own: title with the workload and machine, axes with units, legend.
 */
public final class CompareChart {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;

    private CompareChart() {
    }

    /** Writes {@code BASE-throughput.png} and {@code BASE-latency.png} into {@code dir}; returns their names. */
    public static List<String> write(Path dir, String base, CompareResult result) throws IOException {
        try {
            return draw(dir, base, result);
        } catch (RuntimeException e) {
            // XChart refuses data with IllegalArgumentException; that is our error, not bad input.
            throw new IOException("cannot draw the comparison charts: " + e.getMessage(), e);
        }
    }

    private static List<String> draw(Path dir, String base, CompareResult result) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<CompareRow> rows = result.rows();
        List<String> labels = rows.stream().map(CompareRow::label).toList();
        String setting = String.format("%s, %s CPUs, workload %s, %s per run", result.config().get("profile"),
                result.config().get("cpus"), result.config().get("workload"),
                result.config().get("duration"));

        CategoryChart throughput = chart("Mappings per second by lock/wait strategy (" + setting + ")",
                "mappings per second (higher is better)", labels.size());
        throughput.addSeries("maps/s", labels, rows.stream().map(r -> (Number) r.mapsPerSecond()).toList());
        throughput.getStyler().setLegendVisible(false);

        String op = rows.isEmpty() ? "kmap" : rows.get(0).latencyOp();
        CategoryChart latency = chart(op + " latency by lock/wait strategy (" + setting + ")",
                op + " latency, ns (log scale, lower is better)", labels.size());
        latency.getStyler().setYAxisLogarithmic(true);
        // Bars start at the axis minimum; a log axis needs it above zero.
        latency.getStyler().setYAxisMin(1.0);
        latency.addSeries("p50", labels, rows.stream().map(r -> (Number) Math.max(1, r.p50())).toList());
        latency.addSeries("p99", labels, rows.stream().map(r -> (Number) Math.max(1, r.p99())).toList());
        latency.addSeries("p99.9", labels, rows.stream().map(r -> (Number) Math.max(1, r.p999())).toList());

        List<String> files = new ArrayList<>();
        save(dir, base + "-throughput", throughput, files);
        save(dir, base + "-latency", latency, files);
        return files;
    }

    private static CategoryChart chart(String title, String yTitle, int bars) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("lock strategy / wait strategy").yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setXAxisLabelRotation(bars > 6 ? 45 : 0);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(14f));
        return c;
    }

    private static void save(Path dir, String name, CategoryChart chart, List<String> files) throws IOException {
        AtomicFiles.write(dir.resolve(name + ".png"), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        files.add(name + ".png");
    }
}
