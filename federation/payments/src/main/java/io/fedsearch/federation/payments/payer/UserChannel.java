package io.fedsearch.federation.payments.payer;

import com.google.common.primitives.UnsignedInteger;
import com.google.common.primitives.UnsignedLong;
import io.fedsearch.federation.payments.channel.ChannelId;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.channel.XrplTime;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import java.time.Instant;
import java.util.Optional;
import io.fedsearch.federation.payments.wallet.SignedTx;
import org.xrpl.xrpl4j.model.transactions.Address;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelCreate;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * A user's channel to a platform, held by a wallet that is not a node (simulated users in the benchmark and demo,
 * tests): the signed PaymentChannelCreate to present, and cumulative claims signed in memory, never beyond the
 * channel's amount. A node's own channels are {@link PayerChannels} (durable).
 */
public final class UserChannel {
  private final XrplAccountKey key;
  private final String id;
  private final String createBlob;
  private final long amount;
  private long authorised;

  private UserChannel(XrplAccountKey key, String id, String createBlob, long amount) {
    this.key = key;
    this.id = id;
    this.createBlob = createBlob;
    this.amount = amount;
  }

  /** Signs a create of {@code drops} to {@code destination} at account Sequence {@code sequence}. */
  public static UserChannel open(XrplAccountKey user, String destination, long drops, long settleDelaySeconds,
      Optional<Instant> cancelAfter, long sequence, long feeDrops) {
    var b = PaymentChannelCreate.builder()
        .account(user.address())
        .fee(XrpCurrencyAmount.ofDrops(feeDrops))
        .sequence(UnsignedInteger.valueOf(sequence))
        .signingPublicKey(user.publicKey())
        .amount(XrpCurrencyAmount.ofDrops(drops))
        .destination(Address.of(destination))
        .settleDelay(UnsignedInteger.valueOf(settleDelaySeconds))
        .publicKey(user.publicKey().base16Value());
    cancelAfter.ifPresent(t -> b.cancelAfter(UnsignedLong.valueOf(XrplTime.of(t))));
    SignedTx<PaymentChannelCreate> signed = user.sign(b.build());
    return new UserChannel(user, ChannelId.of(user.address(), Address.of(destination), sequence),
        signed.blob(), drops);
  }

  /** Adds {@code drops} to the cumulative total and signs it. */
  public synchronized Claim pay(long drops) {
    if (authorised + drops > amount) {
      throw new PaymentRejectedException(Rejection.OVER_BALANCE,
          "channel has " + (amount - authorised) + " drops left, " + drops + " needed");
    }
    authorised += drops;
    return new Claim(id, authorised, key.signClaim(id, authorised));
  }

  /** A claim for an arbitrary cumulative amount (tests of the payee's rules). */
  public Claim claimFor(long cumulative) {
    return new Claim(id, cumulative, key.signClaim(id, cumulative));
  }

  public synchronized long authorised() {
    return authorised;
  }

  public String id() {
    return id;
  }

  public String createBlob() {
    return createBlob;
  }

  public long amount() {
    return amount;
  }

  public XrplAccountKey key() {
    return key;
  }
}
