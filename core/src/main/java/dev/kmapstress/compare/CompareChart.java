package dev.kmapstress.compare;

import java.io.IOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The charts of a comparison, drawn with XChart as PNG (the build keeps XChart's vector and PDF
 * encoders out of the jar) from the columns of {@link CompareTable}: mappings per second per
 * lock/wait strategy, and latency percentiles per lock/wait strategy (log scale). Each chart is readable on its
 * own: title with the workload and machine, axes with units, legend.
 */
public final class CompareChart {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;

    private CompareChart() {
    }

    /** A drawn chart: its file name and its PNG bytes. */
    public record Png(String name, byte[] bytes) {
    }

    /** Draws {@code BASE-throughput.png} and {@code BASE-latency.png}. */
    public static List<Png> draw(String base, CompareResult result) throws IOException {
        try {
            return charts(base, result);
        } catch (RuntimeException e) {
            // XChart refuses data with IllegalArgumentException; that is our error, not bad input.
            throw new IOException("cannot draw the comparison charts: " + e.getMessage(), e);
        }
    }

    private static List<Png> charts(String base, CompareResult result) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<CompareRow> rows = result.rows();
        List<String> labels = rows.stream().map(CompareRow::label).toList();
        String setting = String.format("%s, %s CPUs, workload %s, %s per run", result.config().get("profile"),
                result.config().get("cpus"), result.config().get("workload"),
                result.config().get("duration"));

        CategoryChart throughput = chart("Mappings per second by lock/wait strategy (" + setting + ")",
                "mappings per second (higher is better)", labels.size());
        throughput.addSeries(CompareTable.MAPS_PER_SECOND.header(), labels,
                rows.stream().map(CompareTable.MAPS_PER_SECOND.number()).toList());
        throughput.getStyler().setLegendVisible(false);

        String op = CompareTable.latencyOp(rows);
        CategoryChart latency = chart(op + " latency by lock/wait strategy (" + setting + ")",
                op + " latency, ns (log scale, lower is better)", labels.size());
        latency.getStyler().setYAxisLogarithmic(true);
        // Bars start at the axis minimum; a log axis needs it above zero.
        latency.getStyler().setYAxisMin(1.0);
        for (CompareTable.Column c : CompareTable.LATENCIES) {
            latency.addSeries(c.header("").trim(), labels,
                    rows.stream().map(r -> (Number) Math.max(1, c.number().apply(r).longValue())).toList());
        }
        return List.of(png(base + "-throughput", throughput), png(base + "-latency", latency));
    }

    private static CategoryChart chart(String title, String yTitle, int bars) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("lock strategy / wait strategy").yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setXAxisLabelRotation(bars > 6 ? 45 : 0);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(14f));
        return c;
    }

    private static Png png(String name, CategoryChart chart) throws IOException {
        return new Png(name + ".png", BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
