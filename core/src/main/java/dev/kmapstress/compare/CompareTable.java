package dev.kmapstress.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The one table model of a comparison: which columns a row has, their headers and how each
 * cell reads. The text table ({@link #text}), the charts ({@link CompareChart}) and the report's
 * Markdown ({@link #markdown}) all render these columns, so a column is added or renamed here
 * once.
 */
public final class CompareTable {

    /**
     * One column.
     *
     * @param header   its heading ({@code %s} stands for the latency operation, e.g. kmap)
     * @param width    its width in the text table (0: as wide as the widest cell, left-aligned)
     * @param number   its value as a number, for charts; null for a text column
     * @param cell     its value as text
     */
    public record Column(String header, int width, Function<CompareRow, Number> number,
            Function<CompareRow, String> cell) {

        String header(String op) {
            return String.format(header, op);
        }
    }

    public static final Column STRATEGY = new Column("lock/wait", 0, null, CompareRow::label);
    public static final Column MAPS_PER_SECOND = new Column("maps/s", 12, CompareRow::mapsPerSecond,
            r -> String.format(Locale.ROOT, "%.0f", r.mapsPerSecond()));
    public static final Column P50 = new Column("%s p50", 9, CompareRow::p50, r -> Long.toString(r.p50()));
    public static final Column P99 = new Column("p99", 9, CompareRow::p99, r -> Long.toString(r.p99()));
    public static final Column P999 = new Column("p99.9", 9, CompareRow::p999, r -> Long.toString(r.p999()));
    public static final Column FAIRNESS = new Column("max/min", 9, CompareRow::fairness,
            r -> String.format(Locale.ROOT, "%.2f", r.fairness()));
    public static final Column WAITS = new Column("waits", 9, CompareRow::waits, r -> Long.toString(r.waits()));
    public static final Column VERDICT = new Column("verdict", 0, null, CompareRow::verdict);

    /** Every column, in table order. */
    public static final List<Column> COLUMNS = List.of(STRATEGY, MAPS_PER_SECOND, P50, P99, P999, FAIRNESS,
            WAITS, VERDICT);
    /** The latency percentile columns, as the latency chart draws them. */
    public static final List<Column> LATENCIES = List.of(P50, P99, P999);

    /** What the columns mean, under the table. */
    public static final String LEGEND = "(latencies in ns; max/min: busiest CPU's mappings over the idlest's;"
            + " waits: sleeps for a free PKMAP slot)";

    private CompareTable() {
    }

    /** The latency operation of {@code rows}, for the headers. */
    static String latencyOp(List<CompareRow> rows) {
        return rows.isEmpty() ? "kmap" : rows.get(0).latencyOp();
    }

    /** The comparison as a text table, ranked in the order given (fastest first), with its legend. */
    public static List<String> text(List<CompareRow> rows) {
        String op = latencyOp(rows);
        int labelWidth = Math.max(4, rows.stream().mapToInt(r -> r.label().length()).max().orElse(0));
        List<String> l = new ArrayList<>();
        List<String> header = new ArrayList<>();
        for (Column c : COLUMNS) {
            header.add(c.header(op));
        }
        l.add(line("rank", header, labelWidth));
        for (int i = 0; i < rows.size(); i++) {
            CompareRow r = rows.get(i);
            l.add(line(Integer.toString(i + 1), COLUMNS.stream().map(c -> c.cell().apply(r)).toList(), labelWidth));
        }
        l.add(LEGEND);
        return l;
    }

    private static String line(String rank, List<String> cells, int labelWidth) {
        StringBuilder sb = new StringBuilder(String.format("%4s  %-" + labelWidth + "s", rank, cells.get(0)));
        for (int i = 1; i < cells.size(); i++) {
            Column c = COLUMNS.get(i);
            sb.append(c.width() == 0 ? "  " + cells.get(i) : String.format(" %" + c.width() + "s", cells.get(i)));
        }
        return sb.toString();
    }

    /** The comparison as a Markdown table, a failed row with its first failure's headline. */
    public static String markdown(List<CompareRow> rows, Function<String, String> escape) {
        String op = latencyOp(rows);
        StringBuilder md = new StringBuilder("| rank |");
        COLUMNS.forEach(c -> md.append(' ').append(c.header(op)).append(" |"));
        md.append("\n|---|").append("---|".repeat(COLUMNS.size())).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            CompareRow r = rows.get(i);
            md.append("| ").append(i + 1).append(" |");
            for (Column c : COLUMNS) {
                String cell = c == VERDICT ? "**" + r.verdict() + "**"
                        + (r.reason().isEmpty() ? "" : ": " + escape.apply(r.reason())) : c.cell().apply(r);
                md.append(' ').append(cell).append(" |");
            }
            md.append('\n');
        }
        return md.append('\n').append(LEGEND).append('\n').toString();
    }
}
