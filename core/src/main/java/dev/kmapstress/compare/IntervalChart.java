package dev.kmapstress.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts of one comparison group (workload x CPUs), drawn with XChart as PNG: per
 * lock/wait strategy, best first, the median of its rounds as a dot and its interval as an
 * error bar (the title says its coverage), the rank group in the label, for throughput and for p99 latency. A failed
 * configuration is drawn as no dot at all, last, its label marked FAILED: a broken lock's
 * speed is never shown as the fastest. A passing one with too few rounds to rank is drawn with
 * its interval but labelled unranked.
 */
public final class IntervalChart {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;

    private IntervalChart() {
    }

    /** A drawn chart: its file name and its PNG bytes. */
    public record Png(String name, byte[] bytes) {
    }

    /** The group's two charts, {@code BASE-WORKLOAD-Ncpu-throughput.png} and {@code ...-latency.png}. */
    public static List<Png> draw(String base, Ranking.Group g, String setting) throws IOException {
        try {
            String name = base + "-" + g.workload().replaceAll("[^A-Za-z0-9.-]+", "_") + "-" + g.cpus() + "cpu";
            String op = g.latencyOp();
            String coverage = RankTable.coverage(RankTable.rounds(g.rows()));
            String of = caption(coverage, g, setting);
            return List.of(png(name + "-throughput", chart("Mappings per second" + of,
                            "mappings per second (higher is better)", g.rows(), true, coverage)),
                    png(name + "-latency", chart(op + " p99 latency" + of, op + " p99 latency, ns (lower is better)",
                            g.rows(), false, coverage)));
        } catch (RuntimeException e) {
            // XChart refuses data with IllegalArgumentException; that is our error, not bad input.
            throw new IOException("cannot draw the comparison charts: " + e.getMessage(), e);
        }
    }

    /** What both titles say after their figure's name: the intervals' real coverage, the group, the setting. */
    static String caption(String coverage, Ranking.Group g, String setting) {
        return String.format(Locale.ROOT, ": median and %s interval of the rounds (workload %s, %d CPU%s, %s)",
                coverage, g.workload(), g.cpus(), g.cpus() == 1 ? "" : "s", setting);
    }

    /** The label under a row's position: rank, lock/wait, FAILED for a failed row, unranked for one short of rounds. */
    static String label(RankedRow r) {
        return (!r.success() ? "FAILED " : r.rankable() ? r.rank() + ". " : "unranked ") + r.label();
    }

    private static XYChart chart(String title, String yTitle, List<RankedRow> rows, boolean throughput,
            String coverage) {
        System.setProperty("java.awt.headless", "true");
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("rank. lock strategy / wait strategy, best first (ranks like 1-3 are indistinguishable)")
                .yAxisTitle(yTitle).build();
        Styler s = c.getStyler();
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        s.setChartTitleFont(s.getChartTitleFont().deriveFont(13f));
        c.getStyler().setXAxisMin(0.0).setXAxisMax(rows.size() + 1.0).setYAxisMin(0.0);
        // XChart drops tick labels too long to fit: each position is named above its bar instead.
        c.getStyler().setXAxisTicksVisible(false);
        double top = rows.stream().filter(RankedRow::success).map(r -> throughput ? r.mapsPerSecond() : r.p99())
                .filter(java.util.Objects::nonNull).mapToDouble(MedianInterval::high).max().orElse(1);
        c.getStyler().setYAxisMax(top * 1.15);
        for (int i = 0; i < rows.size(); i++) {
            RankedRow r = rows.get(i);
            MedianInterval iv = throughput ? r.mapsPerSecond() : r.p99();
            double y = r.success() && iv != null ? iv.high() + top * 0.04 : top * 0.04;
            c.addAnnotation(new AnnotationText(label(r), i + 1, y, false));
        }
        double[] xs = new double[rows.size()];
        double[] medians = new double[rows.size()];
        int n = 0;
        for (int i = 0; i < rows.size(); i++) {
            RankedRow r = rows.get(i);
            MedianInterval iv = throughput ? r.mapsPerSecond() : r.p99();
            if (!r.success() || iv == null) {
                continue;
            }
            xs[n] = i + 1;
            medians[n++] = iv.median();
            XYSeries bar = c.addSeries("interval " + (i + 1), new double[] {i + 1, i + 1},
                    new double[] {iv.low(), iv.high()});
            bar.setMarker(SeriesMarkers.NONE);
            bar.setLineColor(Color.DARK_GRAY);
            bar.setLineStyle(new BasicStroke(2f));
            bar.setShowInLegend(false);
        }
        if (n == 0) {
            // Nothing passed: an empty chart still says so through its labels.
            c.addSeries("median", new double[] {0}, new double[] {0}).setShowInLegend(false);
            return c;
        }
        XYSeries dots = c.addSeries("median (bar: " + coverage + " interval)", java.util.Arrays.copyOf(xs, n),
                java.util.Arrays.copyOf(medians, n));
        dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        dots.setMarker(SeriesMarkers.CIRCLE);
        dots.setMarkerColor(new Color(0x1f77b4));
        return c;
    }

    /**
     * The chart as PNG, encoded through an in-memory stream: ImageIO's own stream (what
     * {@code BitmapEncoder.getBitmapBytes} uses) caches on disk and registers a shutdown hook for
     * its cache file, which throws once the JVM is shutting down: just when Ctrl-C or SIGTERM has
     * a comparison write the rounds so far.
     */
    private static Png png(String name, XYChart chart) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", out)) {
                throw new IOException("no PNG writer in this JDK");
            }
        }
        return new Png(name + ".png", bytes.toByteArray());
    }
}
