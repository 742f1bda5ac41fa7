package io.fedsearch.web.ui;

import java.util.List;
import java.util.Locale;

/**
 * Charts drawn on the server as inline SVG: no script, no external library, nothing the CSP has to allow. Colours
 * come from presentation attributes and CSS classes (inline {@code style} would need 'unsafe-inline').
 */
public final class Svg {
  static final int W = 640;
  static final int H = 220;
  static final int PAD_L = 44;
  static final int PAD_R = 12;
  static final int PAD_T = 14;
  static final int PAD_B = 30;

  /** A point of a series with an interval around it. */
  public record Band(String label, double value, double low, double high) {}

  /** A labelled bar. */
  public record Bar(String label, double value) {}

  private Svg() {}

  /** A line with its shaded interval, y from 0 to {@code yMax}. */
  public static Html band(String title, List<Band> points, double yMax) {
    if (points.isEmpty()) {
      return Html.f("<p class=\"empty\">{}: no history yet.</p>", title);
    }
    int n = points.size();
    StringBuilder line = new StringBuilder();
    StringBuilder upper = new StringBuilder();
    StringBuilder lower = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Band p = points.get(i);
      double x = x(i, n);
      line.append(i == 0 ? "M" : " L").append(num(x)).append(',').append(num(y(p.value(), yMax)));
      upper.append(i == 0 ? "M" : " L").append(num(x)).append(',').append(num(y(p.high(), yMax)));
      lower.insert(0, " L" + num(x) + "," + num(y(p.low(), yMax)));
    }
    String area = upper + lower.toString() + " Z";
    StringBuilder dots = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Band p = points.get(i);
      dots.append(Html.f("<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"3\"><title>{}: {} ({}–{})</title></circle>",
          num(x(i, n)), num(y(p.value(), yMax)), p.label(), num(p.value()), num(p.low()), num(p.high())).markup());
    }
    return Html.f("""
        <figure class="chart"><svg viewBox="0 0 {} {}" role="img" aria-label="{}">{}{}\
        <path class="band" d="{}"/><path class="line" d="{}"/>{}</svg><figcaption>{}</figcaption></figure>""",
        W, H, title, axes(yMax, ""), xLabels(points.stream().map(Band::label).toList()), area, line.toString(),
        new Html(dots.toString()), title);
  }

  /** Vertical bars from 0 to the largest value. */
  public static Html bars(String title, List<Bar> bars, String unit) {
    if (bars.isEmpty()) {
      return Html.f("<p class=\"empty\">{}: nothing yet.</p>", title);
    }
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    double yMax = max <= 0 ? 1 : niceCeiling(max);
    int n = bars.size();
    double slot = (double) (W - PAD_L - PAD_R) / n;
    double width = Math.min(48, Math.max(2, slot * 0.7)); // a few epochs should not look like a wall
    StringBuilder rects = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Bar b = bars.get(i);
      double x = PAD_L + slot * i + (slot - width) / 2;
      double y = y(b.value(), yMax);
      rects.append(Html.f("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}: {} {}</title></rect>",
          num(x), num(y), num(width), num(H - PAD_B - y), b.label(), num(b.value()), unit).markup());
    }
    return Html.f("""
        <figure class="chart"><svg viewBox="0 0 {} {}" role="img" aria-label="{}">{}{}{}</svg>\
        <figcaption>{}</figcaption></figure>""",
        W, H, title, axes(yMax, unit), barLabels(bars.stream().map(Bar::label).toList()), new Html(rects.toString()),
        title);
  }

  private static Html axes(double yMax, String unit) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i <= 4; i++) {
      double v = yMax * i / 4;
      double y = y(v, yMax);
      b.append(Html.f("<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>"
          + "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
          PAD_L, W - PAD_R, num(y), num(y), PAD_L - 6, num(y + 4), num(v)).markup());
    }
    if (!unit.isEmpty()) {
      b.append(Html.f("<text class=\"tick\" x=\"4\" y=\"10\">{}</text>", unit).markup());
    }
    return new Html(b.toString());
  }

  private static Html xLabels(List<String> labels) {
    StringBuilder b = new StringBuilder();
    int n = labels.size();
    int step = Math.max(1, (n + 5) / 6);
    for (int i = 0; i < n; i += step) {
      b.append(Html.f("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
          num(x(i, n)), H - PAD_B + 18, labels.get(i)).markup());
    }
    return new Html(b.toString());
  }

  private static Html barLabels(List<String> labels) {
    StringBuilder b = new StringBuilder();
    int n = labels.size();
    double slot = (double) (W - PAD_L - PAD_R) / n;
    int step = Math.max(1, (n + 7) / 8);
    for (int i = 0; i < n; i += step) {
      b.append(Html.f("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
          num(PAD_L + slot * i + slot / 2), H - PAD_B + 18, labels.get(i)).markup());
    }
    return new Html(b.toString());
  }

  private static double x(int i, int n) {
    return n == 1 ? (PAD_L + W - PAD_R) / 2.0 : PAD_L + (W - PAD_L - PAD_R) * (double) i / (n - 1);
  }

  private static double y(double v, double yMax) {
    double clamped = Math.max(0, Math.min(yMax, v));
    return H - PAD_B - (H - PAD_T - PAD_B) * clamped / yMax;
  }

  static double niceCeiling(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= v) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e12) {
      return String.valueOf((long) v);
    }
    return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
