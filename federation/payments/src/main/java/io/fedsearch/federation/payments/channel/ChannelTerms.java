package io.fedsearch.federation.payments.channel;

import java.time.Instant;
import java.util.Optional;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;

/**
 * What the ledger (or the signed create, before the ledger has it) says about a channel: who pays whom, the key
 * that signs claims, the amount funded, the settle delay, and when it expires. {@code confirmed} is false for a
 * channel known only from a signed PaymentChannelCreate the payer presented ("unconfirmed on ledger").
 */
public record ChannelTerms(
    String id,
    String source,
    String destination,
    PublicKey publicKey,
    long amount,
    long balance,
    long settleDelaySeconds,
    Optional<Instant> cancelAfter,
    Optional<Instant> expiration,
    boolean confirmed) {

  /** When the ledger would close the channel, if ever: the earlier of CancelAfter and Expiration. */
  public Optional<Instant> expiresAt() {
    if (cancelAfter.isPresent() && expiration.isPresent()) {
      return Optional.of(cancelAfter.get().isBefore(expiration.get()) ? cancelAfter.get() : expiration.get());
    }
    return cancelAfter.isPresent() ? cancelAfter : expiration;
  }

  public ChannelTerms withAmount(long newAmount) {
    return new ChannelTerms(id, source, destination, publicKey, newAmount, balance, settleDelaySeconds, cancelAfter,
        expiration, confirmed);
  }

  public ChannelTerms withLedger(long newAmount, long newBalance, Optional<Instant> newExpiration) {
    return new ChannelTerms(id, source, destination, publicKey, newAmount, newBalance, settleDelaySeconds,
        cancelAfter, newExpiration, true);
  }
}
