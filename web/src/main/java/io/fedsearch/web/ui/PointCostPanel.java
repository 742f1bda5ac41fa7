package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The creator page's "what the next point costs": how many more distinct paying buyers per epoch, sustained over the
 * release window, would raise the score by one point, with every assumption the figure rests on spelled out (the
 * API's {@code cost_per_point}; the formula is in reputation/README.md, "Cost per point shown to creators").
 */
final class PointCostPanel {
  private PointCostPanel() {}

  /** @param epoch the length of one epoch of this node's releases */
  static Html render(JsonNode cost, Duration epoch) {
    if (!cost.isObject()) {
      return Html.EMPTY;
    }
    String per = epochName(epoch);
    JsonNode a = cost.path("assumptions");
    if (!cost.path("reachable").asBoolean()) {
      return Html.f("""
          <section class="point-cost" id="point-cost"><h2>What the next point costs</h2>
          <p>More buyers cannot raise this score through the platforms that report it: {}</p></section>""",
          cost.path("score").asDouble() >= 99 ? "it is within a point of 100, which no evidence reaches."
              : "the platform's trust weight is 0 (it has not been paid by platforms this node trusts).");
    }
    String platform = a.path("platform").isNull() ? "a platform as trusted as the best one"
        : a.hasNonNull("platform_name") ? a.path("platform_name").asText() : "platform " + shortKey(a);
    int window = a.path("window_epochs").asInt(1);
    Html clamp = a.path("amount_clamp").asBoolean()
        ? Html.f("<li>Each buyer pays at least {} in the {} they buy (a smaller payment counts pro rata).</li>",
            Layout.amount(a.path("credited_drops_per_payer").asLong()), per)
        : Html.f("<li>Any price counts: this platform's released sums are too noisy for the amount to matter, so a"
            + " buyer counts by being a distinct payer.</li>");
    Html route = a.path("best_platform").asBoolean() ? Html.EMPTY
        : Html.f("<li>The best platform already gives this creator its full evidence cap, so only another platform"
            + " adds more, at {} of its weight.</li>", Svg.num(a.path("coefficient").asDouble()));
    Html threshold = !a.path("below_threshold").asBoolean() ? Html.EMPTY
        : Html.f("<li>{} has released no evidence for this creator yet: the first {} distinct payers of a window are"
            + " taken off before any count (the release's threshold).</li>", platform,
            Svg.num(a.path("threshold").asDouble()));
    return Html.f("""
        <section class="point-cost" id="point-cost"><h2>What the next point costs</h2>
        <p class="big">≈ <b id="buyers-per-epoch">{}</b> <small>more distinct paying buyers per {}</small></p>
        <p>Sustained for {} ({} buyers in all over the window), through {}, they would move the score from {} to
        {}. Every further point costs more than the last.</p>
        <details class="help"><summary>What this figure assumes</summary><ul>
        <li>Buyers are distinct XRPL accounts buying any of this creator's works; one buyer counts once for the creator
        in a window, however many works they buy.</li>{}{}
        <li>{} counts with trust weight {} (platforms earn trust by being paid by platforms this node trusts).</li>
        <li>The release counts buyers over a window of {} summing {} tree node(s), credited per {}; the score reads
        the mean of its best recent windows, where decay keeps {} of steady demand's weight, so a one-off burst counts
        much less.</li>
        <li>Noise: one release's count is off by about ±{} buyers per {} (standard deviation); changes smaller than
        that only show over several releases.</li>{}</ul>
        <p class="note">Formula: evidence needed ΔX = K·(S+1)/(99−S) − X with K the evidence at which a score is
        50;
        buyers per {} = ΔX · max(1, nodes/2) / (coefficient · weight · decay share). Derivation in the reputation
        module's README.</p></details></section>""",
        Svg.num(cost.path("buyers_per_epoch").asDouble()), per, count(window, per),
        Svg.num(cost.path("buyers_per_window").asDouble()), platform, Svg.num(cost.path("score").asDouble()),
        Svg.num(cost.path("target").asDouble()), clamp, route, platform, Svg.num(a.path("trust_weight").asDouble()),
        count(window, per), a.path("window_nodes").asInt(1), per, Svg.num(a.path("decay_share").asDouble()),
        Svg.num(a.path("noise_per_epoch").asDouble()), per, threshold, per);
  }

  private static String count(int n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  private static String shortKey(JsonNode a) {
    String key = a.path("platform").asText();
    return key.length() > 12 ? key.substring(0, 12) + "…" : key;
  }

  /** "day" for daily epochs, else "epoch" (the demo runs minutes-long epochs). */
  private static String epochName(Duration epoch) {
    return epoch.equals(Duration.ofDays(1)) ? "day" : epoch.equals(Duration.ofHours(1)) ? "hour" : "epoch";
  }
}
