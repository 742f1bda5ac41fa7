package io.fedsearch.federation.payments.payout;

import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.payee.PayeeChannels;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.keys.NodeKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The serving side of the payout protocol: answers address requests, verifies and journals payout claims like any
 * claim (durable before the acknowledgement is signed), and takes part in netting. {@link #handle} is what the
 * libp2p stream handler calls with each request.
 */
public final class PayoutReceiver {
  private static final Logger LOG = Logger.getLogger(PayoutReceiver.class.getName());

  private final NodeKey me;
  private final XrplAccountKey account;
  private final PayeeChannels payee;
  private final Netting netting;
  private final Clock clock;
  /** Multilateral netting's party side; null on a receiver built without it (those messages are then refused). */
  private final io.fedsearch.federation.payments.netting.CycleParty cycles;

  public PayoutReceiver(NodeKey me, XrplAccountKey account, PayeeChannels payee, Netting netting, Clock clock) {
    this(me, account, payee, netting, null, clock);
  }

  public PayoutReceiver(NodeKey me, XrplAccountKey account, PayeeChannels payee, Netting netting,
      io.fedsearch.federation.payments.netting.CycleParty cycles, Clock clock) {
    this.me = me;
    this.account = account;
    this.payee = payee;
    this.netting = netting;
    this.cycles = cycles;
    this.clock = clock;
  }

  /** Handles one request; always returns a signed response (an {@code error} message for bad requests). */
  public byte[] handle(byte[] request) {
    Instant now = clock.instant();
    PayoutWire.Envelope env;
    try {
      env = PayoutWire.open(request, me.publicKey(), now);
    } catch (IllegalArgumentException e) {
      // Addressed to the signer when the signature verifies (a stale or misaddressed message): it can read why.
      Map<String, Object> err = PayoutWire.body("error", me.publicKey(),
          PayoutWire.sender(request).orElse(me.publicKey()), now);
      err.put("message", e.getMessage());
      return PayoutWire.seal(me, err);
    }
    try {
      return switch (env.type()) {
        case "address_request" -> address(env, now);
        case "payout" -> payout(env, now);
        case "netting_propose" -> netting.respond(env, now);
        case "netting_confirm" -> netting.confirm(env, now);
        case "netting_debts_request", "netting_cycle_sign", "netting_cycle_commit", "netting_cycle_abort",
            "netting_cycle_status" ->
            cycles == null ? error(env, now, "multilateral netting is not served here") : cycles.handle(env, now);
        default -> error(env, now, "unknown message type " + env.type());
      };
    } catch (IllegalArgumentException | ClassCastException e) {
      return error(env, now, e.getMessage());
    }
  }

  private byte[] address(PayoutWire.Envelope env, Instant now) {
    Map<String, Object> b = PayoutWire.body("address", me.publicKey(), env.from(), now);
    b.put("address", account.address().value());
    b.put("key_type", account.keyType().name());
    return PayoutWire.seal(me, b);
  }

  private byte[] payout(PayoutWire.Envelope env, Instant now) {
    Map<String, Object> ack = PayoutWire.body("payout_ack", me.publicKey(), env.from(), now);
    String channel = env.text("channel");
    long amount = env.num("amount");
    ack.put("channel", channel);
    ack.put("amount", amount);
    try {
      String create = env.optText("create");
      if (create != null) {
        payee.learnChannel(create, env.from().hex());
      }
      String fund = env.optText("fund");
      if (fund != null) {
        payee.learnFund(fund);
      }
      payee.accept(new Claim(channel, amount, env.text("signature")));
      ack.put("status", "accepted");
    } catch (PaymentRejectedException e) {
      ack.put("status", "rejected");
      ack.put("reason", e.reason().wireName());
      ack.put("message", e.getMessage());
      if (e.reason() == Rejection.JOURNAL_FAILED) {
        LOG.log(Level.WARNING, "payout claim could not be journaled", e);
      }
    } catch (IllegalArgumentException e) {
      ack.put("status", "rejected");
      ack.put("reason", Rejection.MALFORMED.wireName());
      ack.put("message", e.getMessage());
    }
    return PayoutWire.seal(me, ack);
  }

  private byte[] error(PayoutWire.Envelope env, Instant now, String message) {
    Map<String, Object> err = PayoutWire.body("error", me.publicKey(), env.from(), now);
    err.put("message", message == null ? "bad request" : message);
    return PayoutWire.seal(me, err);
  }
}
