package io.fedsearch.web.node;

import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.hub.HubAnswer;
import io.fedsearch.federation.payments.hub.HubListener;
import io.fedsearch.federation.payments.hub.HubService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A hub's meters: purchases by outcome (delivered, or credited with the reason code), refusals by code, forward
 * latency, purchases in flight and the users' outstanding credit. Codes become labels only from a fixed set — a
 * platform's refusal code arrives from the network, and any other code is counted as {@code other} — and user
 * channels only as aggregates, so the series stay few however many users pay through the hub.
 */
final class HubMeters implements HubListener {
  /** Forward latency buckets: a platform on loopback answers in milliseconds, an unreachable one in seconds. */
  private static final Duration[] FORWARD_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30)};
  /** Every code a hub sends: its own refusals, its credit reasons, and the platforms' (claim rejections). */
  static final Set<String> CODES;

  static {
    Set<String> codes = new HashSet<>(Set.of("fee_changed", "own_listing", "unknown_channel", "in_flight_limit",
        "over_balance", "request_id_taken", "bad_claim", "platform_unreachable", "liquidity", "hub_error"));
    for (Rejection r : Rejection.values()) {
      codes.add(r.wireName());
    }
    CODES = Set.copyOf(codes);
  }

  private final MeterRegistry registry;
  private final HubService hub;
  private final Counter delivered;
  /** Credited purchases and refusals by bounded code. */
  private final Map<String, Counter> credited = new ConcurrentHashMap<>();
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
  private final Timer forward;
  private volatile double inFlight;
  private volatile double credit;

  HubMeters(MeterRegistry registry, HubService hub) {
    this.registry = registry;
    this.hub = hub;
    delivered = purchases("delivered", "none");
    forward = Timer.builder("fedsearch_hub_forward").description("Hub purchases: journaled to decided (the"
        + " platform paid and answering, or given up on)").serviceLevelObjectives(FORWARD_BUCKETS).register(registry);
    Gauge.builder("fedsearch_hub_purchases_in_flight", this, m -> m.inFlight)
        .description("Hub purchases forwarded and not yet decided").register(registry);
    Gauge.builder("fedsearch_hub_user_credit_drops", this, m -> m.credit)
        .description("Users' channels to this hub: authorised less consumed, summed (in-flight included)")
        .register(registry);
  }

  /** Reads the gauges (once per scrape). */
  void refresh() {
    inFlight = hub.inFlight();
    credit = hub.outstandingCredit();
  }

  @Override
  public void decided(String status, String reasonCode, long forwardNanos) {
    if (forwardNanos > 0) { // an own listing is sold here: no forward to time
      forward.record(forwardNanos, TimeUnit.NANOSECONDS);
    }
    if (HubAnswer.DELIVERED.equals(status)) {
      delivered.increment();
    } else {
      credited.computeIfAbsent(bounded(reasonCode), c -> purchases("credited", c)).increment();
    }
  }

  @Override
  public void refused(String code) {
    refusals.computeIfAbsent(bounded(code), c -> Counter.builder("fedsearch_hub_refusals_total")
        .description("Hub purchases refused before anything was journaled, by code").tag("code", c)
        .register(registry)).increment();
  }

  static String bounded(String code) {
    return code != null && CODES.contains(code) ? code : "other";
  }

  private Counter purchases(String outcome, String reason) {
    return Counter.builder("fedsearch_hub_purchases_total").description("Hub purchases decided, by outcome"
        + " (credited: with the reason code)").tag("outcome", outcome).tag("reason", reason).register(registry);
  }
}
