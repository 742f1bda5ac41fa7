package io.fedsearch.federation.payments.payee;

import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.ledger.Outbox;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How far the value a payer signed over one channel has reached the ledger — what a payer asks ("is my purchase
 * paid for on the ledger yet?") without asking the payee's operator.
 *
 * <p>Value moves through three states. <b>Accepted</b>: the payee journaled a claim covering it (the purchase's
 * receipt proves that). <b>Pending settlement</b>: a PaymentChannelClaim whose Balance covers it is signed and in
 * the outbox (queued or submitted; its hash is known, though a queued claim is re-signed — new hash — if the
 * ledger drops it). <b>Settled</b>: a claim with that Balance is in a validated ledger (the hash is the validated
 * transaction's). A purchase is in the state of the cumulative amount its hub acknowledgement names
 * ({@code consumed} after it): see {@link Channel#stateOf}. Without a ledger (embedded mode) nothing is ever
 * settled: claims stay queued, and {@link Channel#ledger} says so.
 *
 * <p>Everything here is what the ledger itself will show once the claims are submitted (a channel's Balance and
 * its claim transactions are public), so the view is keyed by the channel id alone.
 */
public final class SettlementStatus {
  /** At most this many claim transactions are listed per channel (newest first); older ones are settled or gone. */
  public static final int MAX_CLAIMS = 50;

  /** The settlement state of one amount of a channel. */
  public enum State {
    ACCEPTED("accepted"), PENDING("pending_settlement"), SETTLED("settled");

    private final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** The state of an amount, and the transaction that carries it (none while only accepted). */
  public record Of(State state, Optional<String> hash) {}

  /**
   * One channel: {@code authorised} is the best claim the payee holds, {@code settled} the channel's Balance on the
   * validated ledger (0 without a ledger), {@code dueBy} when settlement runs for it at the latest (settle period
   * or the expiry margin, whichever is sooner) unless {@code thresholdDrops} of unsettled value make it due first.
   */
  public record Channel(String channel, boolean ledger, long authorised, long settled, long thresholdDrops,
      Optional<Instant> dueBy, List<Outbox.ClaimTx> claims) {

    /** The state of the first {@code cumulative} drops of this channel. */
    public Of stateOf(long cumulative) {
      if (ledger && cumulative <= settled) {
        // the oldest validated claim that covers it (claims are newest first)
        Optional<String> hash = Optional.empty();
        for (Outbox.ClaimTx c : claims) {
          if (Outbox.VALIDATED.equals(c.status()) && c.balance() >= cumulative) {
            hash = Optional.of(c.hash());
          }
        }
        return new Of(State.SETTLED, hash);
      }
      for (Outbox.ClaimTx c : claims) {
        if ((Outbox.PENDING.equals(c.status()) || Outbox.SUBMITTED.equals(c.status())) && c.balance() >= cumulative) {
          return new Of(State.PENDING, Optional.of(c.hash()));
        }
      }
      return new Of(State.ACCEPTED, Optional.empty());
    }
  }

  /**
   * A channel as {@code GET /api/hub/channels/{id}/settlement} describes it (the wallet's side: a client places its
   * purchases with the same {@link Channel#stateOf} rule the hub documents). Malformed fields read as nothing settled.
   */
  public static Channel fromJson(com.fasterxml.jackson.databind.JsonNode j) {
    List<Outbox.ClaimTx> claims = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode c : j.path("claims")) {
      if (claims.size() == MAX_CLAIMS) {
        break;
      }
      claims.add(new Outbox.ClaimTx(c.path("balance").asLong(0), c.path("status").asText(""),
          c.path("hash").asText(""), Optional.ofNullable(c.path("result").textValue()), Instant.EPOCH));
    }
    Optional<Instant> due = Optional.ofNullable(j.path("due_by").textValue()).map(t -> {
      try {
        return Instant.parse(t);
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
    });
    return new Channel(j.path("channel").asText(""), j.path("ledger").asBoolean(false),
        j.path("authorised").asLong(0), j.path("settled").asLong(0), j.path("threshold_drops").asLong(0), due,
        List.copyOf(claims));
  }

  private final PayeeChannels payee;
  private final Outbox outbox;
  private final PaymentsConfig config;
  private final boolean ledger;

  public SettlementStatus(PayeeChannels payee, Outbox outbox, PaymentsConfig config) {
    this.payee = payee;
    this.outbox = outbox;
    this.config = config;
    this.ledger = config.rippledUrl().isPresent();
  }

  /** The channel paid to this node, or empty when this node is not its destination or does not know it. */
  public Optional<Channel> of(String channelId) {
    return payee.channel(channelId).map(v -> {
      Instant since = v.lastSettleAt().orElse(v.openedAt());
      Instant byPeriod = since.plus(config.settlePeriod());
      Optional<Instant> byExpiry = v.terms().expiresAt().map(e -> e.minus(config.settleBeforeExpiry()));
      Instant dueBy = byExpiry.filter(e -> e.isBefore(byPeriod)).orElse(byPeriod);
      return new Channel(v.terms().id(), ledger, v.best(), ledger ? v.settled() : 0, config.settleThreshold(),
          v.best() > v.settled() ? Optional.of(dueBy) : Optional.empty(),
          outbox.claimTxs(v.terms().id(), MAX_CLAIMS));
    });
  }
}
