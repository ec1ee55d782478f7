package io.segmatch.segments.api;

import io.segmatch.membership.store.MemberHistory.Point;

import java.text.NumberFormat;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A segment's member count over time as an SVG picture, drawn here (nothing from the
 * internet): the count after each run as a stepped line above, and each run's enters (up,
 * green) and exits (down, red) as bars below. Runs are spaced evenly, oldest on the left;
 * the first and last runs' dates label the axis. Only numbers and dates go into the markup.
 */
public final class MemberChart {

    static final int WIDTH = 720;
    static final int HEIGHT = 260;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int LINE_BOTTOM = 150;
    private static final int BARS_TOP = 172;
    private static final int BARS_BOTTOM = 232;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private MemberChart() {
    }

    static String svg(List<Point> points) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\" font-family=\"system-ui, sans-serif\" font-size=\"11\">");
        b.append("<title>").append(summary(points)).append("</title>");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
        if (points.isEmpty()) {
            b.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
                    .append("\" text-anchor=\"middle\" fill=\"#666\">No run has changed this segment yet.</text></svg>");
            return b.toString();
        }
        long max = 1;
        long maxMove = 1;
        for (Point p : points) {
            max = Math.max(max, Math.max(p.memberCount(), p.memberCount() - p.entered() + p.exited()));
            maxMove = Math.max(maxMove, Math.max(p.entered(), p.exited()));
        }
        int n = points.size();
        double step = (WIDTH - LEFT - RIGHT) / (double) n;
        // axes and scale
        b.append(line(LEFT, TOP, LEFT, LINE_BOTTOM, "#ccc")).append(line(LEFT, LINE_BOTTOM, WIDTH - RIGHT, LINE_BOTTOM, "#ccc"));
        b.append(label(LEFT - 6, TOP + 4, "end", count(max))).append(label(LEFT - 6, LINE_BOTTOM, "end", "0"));
        b.append(label(LEFT + 4, TOP + 4, "start", "members"));
        int middle = (BARS_TOP + BARS_BOTTOM) / 2;
        b.append(line(LEFT, middle, WIDTH - RIGHT, middle, "#ccc"));
        b.append(label(LEFT - 6, BARS_TOP + 8, "end", "+" + count(maxMove))).append(label(LEFT - 6, BARS_BOTTOM, "end",
                "−" + count(maxMove)));
        // the count: from the count before the first run, stepping after each run
        StringBuilder path = new StringBuilder();
        Point first = points.get(0);
        long before = first.memberCount() - first.entered() + first.exited();
        path.append("M").append(LEFT).append(' ').append(y(before, max));
        for (int i = 0; i < n; i++) {
            double x = LEFT + step * i + step / 2;
            path.append(" H").append(fmt(x)).append(" V").append(y(points.get(i).memberCount(), max));
        }
        path.append(" H").append(WIDTH - RIGHT);
        b.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#2563eb\" stroke-width=\"2\"/>");
        // enters and exits per run
        double half = (BARS_BOTTOM - BARS_TOP) / 2.0;
        double bar = Math.max(1, Math.min(24, step * 0.6));
        for (int i = 0; i < n; i++) {
            Point p = points.get(i);
            double x = LEFT + step * i + step / 2 - bar / 2;
            double up = half * p.entered() / maxMove;
            double down = half * p.exited() / maxMove;
            b.append("<g><title>run ").append(p.runId()).append(", ").append(DAY.format(p.at())).append(" UTC: ")
                    .append(count(p.entered())).append(" entered, ").append(count(p.exited())).append(" left, ")
                    .append(count(p.memberCount())).append(" members</title>");
            b.append(rect(x, middle - up, bar, Math.max(up, p.entered() > 0 ? 1 : 0), "#16a34a"));
            b.append(rect(x, middle, bar, Math.max(down, p.exited() > 0 ? 1 : 0), "#dc2626"));
            b.append("</g>");
        }
        b.append(label(LEFT, HEIGHT - 8, "start", DAY.format(first.at())));
        if (n > 1) {
            b.append(label(WIDTH - RIGHT, HEIGHT - 8, "end", DAY.format(points.get(n - 1).at())));
        }
        b.append(label(WIDTH - RIGHT, BARS_TOP - 6, "end", "entered (green) and left (red) per run"));
        return b.append("</svg>").toString();
    }

    /** The picture in words (its title, and the page's description of it). */
    public static String summary(List<Point> points) {
        if (points.isEmpty()) {
            return "No run has changed this segment yet.";
        }
        Point first = points.get(0);
        Point last = points.get(points.size() - 1);
        long entered = points.stream().mapToLong(Point::entered).sum();
        long exited = points.stream().mapToLong(Point::exited).sum();
        return "Members over the last " + points.size() + (points.size() == 1 ? " run" : " runs") + " that changed the segment: from "
                + count(first.memberCount() - first.entered() + first.exited()) + " to " + count(last.memberCount()) + " ("
                + count(entered) + " entered, " + count(exited) + " left).";
    }

    private static String y(long value, long max) {
        return fmt(LINE_BOTTOM - (LINE_BOTTOM - TOP) * (double) value / max);
    }

    private static String line(int x1, int y1, int x2, int y2, String color) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"" + color + "\"/>";
    }

    private static String rect(double x, double y, double w, double h, String color) {
        return "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\"" + fmt(w) + "\" height=\"" + fmt(h) + "\" fill=\""
                + color + "\"/>";
    }

    private static String label(int x, int y, String anchor, String text) {
        return text.isEmpty() ? "" : "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\" fill=\"#444\">"
                + text + "</text>";
    }

    private static String count(long n) {
        return NumberFormat.getIntegerInstance(Locale.ENGLISH).format(n);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
