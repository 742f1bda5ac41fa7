package io.fedsearch.federation.payments.userwallet;

import com.google.common.primitives.UnsignedInteger;
import io.fedsearch.federation.payments.channel.ChannelId;
import io.fedsearch.federation.payments.ledger.Ledger;
import io.fedsearch.federation.payments.wallet.SignedTx;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.xrpl.xrpl4j.model.flags.PaymentChannelClaimFlags;
import org.xrpl.xrpl4j.model.transactions.Address;
import org.xrpl.xrpl4j.model.transactions.DidSet;
import org.xrpl.xrpl4j.model.transactions.Hash256;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelClaim;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelCreate;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelFund;
import org.xrpl.xrpl4j.model.transactions.Transaction;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * The wallet's ledger transactions: PaymentChannelCreate to the hub, Fund, the source's closing Claim, DIDSet. Each
 * is signed, recorded in the state, and then either submitted to a ledger ({@link Ledger}, e.g. {@code XrplLedger}
 * over rippled's JSON-RPC) and awaited until validated, or, with no ledger, kept signed: the embedded mode, where the
 * hub receives the create with the first purchase.
 */
public final class WalletTransactions {
  /** Fee of a transaction signed with no ledger to ask (the ledger's reference fee is 10 drops). */
  public static final long EMBEDDED_FEE_DROPS = 12;
  /** Ledgers a submitted transaction may take before it can no longer be validated. */
  static final int LEDGER_WINDOW = 20;

  private final UserWallet wallet;
  private final Optional<Ledger> ledger;
  private final Duration validationTimeout;

  public WalletTransactions(UserWallet wallet, Optional<Ledger> ledger, Duration validationTimeout) {
    this.wallet = wallet;
    this.ledger = ledger;
    this.validationTimeout = validationTimeout;
  }

  /** Opens the channel to the hub: {@code drops} into it, {@code settleDelay} seconds for the hub to claim. */
  public WalletState.TxRecord open(String hubUrl, HubTerms hub, long drops, long settleDelay) throws InterruptedException {
    WalletState s = wallet.state();
    if (s.channel != null) {
      throw new IllegalStateException("the wallet already has channel " + s.channel.id + " to " + s.hub.url
          + " (fund it, or close it first)");
    }
    if (drops <= 0) {
      throw new IllegalArgumentException("the channel amount must be positive");
    }
    if (settleDelay < hub.minSettleDelaySeconds()) {
      throw new IllegalArgumentException("the hub requires a settle delay of at least " + hub.minSettleDelaySeconds()
          + " s, got " + settleDelay);
    }
    long seq = sequence();
    PaymentChannelCreate create = PaymentChannelCreate.builder()
        .account(wallet.key().address()).fee(XrpCurrencyAmount.ofDrops(fee())).sequence(UnsignedInteger.valueOf(seq))
        .signingPublicKey(wallet.key().publicKey()).amount(XrpCurrencyAmount.ofDrops(drops))
        .destination(Address.of(hub.account())).settleDelay(UnsignedInteger.valueOf(settleDelay))
        .publicKey(wallet.key().publicKey().base16Value())
        .lastLedgerSequence(lastLedger()).build();
    SignedTx<PaymentChannelCreate> signed = wallet.key().sign(create);
    WalletState.Channel ch = new WalletState.Channel();
    ch.id = ChannelId.of(wallet.key().address(), Address.of(hub.account()), seq);
    ch.destination = hub.account();
    ch.amount = drops;
    ch.settleDelay = settleDelay;
    ch.sequence = seq;
    ch.createBlob = signed.blob();
    ch.createHash = signed.hash();
    WalletState.Hub h = new WalletState.Hub();
    h.url = hubUrl;
    h.account = hub.account();
    h.peerId = hub.peerId();
    h.publicKey = hub.publicKey();
    h.feeBps = hub.feeBps();
    h.feeDrops = hub.feeDrops();
    s.channel = ch;
    s.hub = h;
    WalletState.TxRecord rec = record("create", signed);
    String result = submit(rec);
    if (result.startsWith("tes")) {
      ch.onLedger = true;
      wallet.save();
    } else if (ledger.isPresent() && !result.isEmpty()) {
      // The ledger refused the create for good: there is no channel, and `open` may be tried again.
      s.channel = null;
      s.hub = null;
      wallet.save();
      throw new IllegalStateException("the ledger did not create the channel: " + result);
    }
    return rec;
  }

  /** Adds {@code drops} to the channel (PaymentChannelFund); the local amount grows once the ledger validates it. */
  public WalletState.TxRecord fund(long drops) throws InterruptedException {
    WalletState.Channel ch = requireChannel();
    PaymentChannelFund fund = PaymentChannelFund.builder()
        .account(wallet.key().address()).fee(XrpCurrencyAmount.ofDrops(fee()))
        .sequence(UnsignedInteger.valueOf(sequence())).signingPublicKey(wallet.key().publicKey())
        .channel(Hash256.of(ch.id)).amount(XrpCurrencyAmount.ofDrops(drops)).lastLedgerSequence(lastLedger()).build();
    WalletState.TxRecord rec = record("fund", wallet.key().sign(fund));
    rec.drops = drops;
    wallet.save();
    applied(rec, submit(rec));
    return rec;
  }

  /**
   * Asks the ledger to close the channel (the source's PaymentChannelClaim with tfClose): it closes once the hub
   * claimed what it is owed, else after the settle delay, so the hub keeps time to redeem the last claim.
   */
  public WalletState.TxRecord close() throws InterruptedException {
    WalletState.Channel ch = requireChannel();
    PaymentChannelClaim claim = PaymentChannelClaim.builder()
        .account(wallet.key().address()).fee(XrpCurrencyAmount.ofDrops(fee()))
        .sequence(UnsignedInteger.valueOf(sequence())).signingPublicKey(wallet.key().publicKey())
        .channel(Hash256.of(ch.id)).flags(PaymentChannelClaimFlags.builder().tfClose(true).build())
        .lastLedgerSequence(lastLedger()).build();
    WalletState.TxRecord rec = record("close", wallet.key().sign(claim));
    submit(rec);
    return rec;
  }

  /** Signs and queues a DIDSet whose document is {@code document} (see {@link ReceiptKeyDocument}). */
  public WalletState.TxRecord did(ReceiptKeyDocument document) throws InterruptedException {
    DidSet did = DidSet.builder()
        .account(wallet.key().address()).fee(XrpCurrencyAmount.ofDrops(fee()))
        .sequence(UnsignedInteger.valueOf(sequence())).signingPublicKey(wallet.key().publicKey())
        .didDocument(document.toLedger()).lastLedgerSequence(lastLedger()).build();
    WalletState.TxRecord rec = record("did", wallet.key().sign(did));
    submit(rec);
    return rec;
  }

  /**
   * Submits, in the order signed, every transaction kept while no ledger was given (the embedded create, funds,
   * close, DIDSet) and waits for each; a transaction whose sequence the account has passed fails as the ledger
   * says (tefPAST_SEQ), and is reported, not re-signed.
   */
  public java.util.List<WalletState.TxRecord> submitKept() throws InterruptedException {
    if (ledger.isEmpty()) {
      throw new IllegalStateException("give the ledger to submit to (--ledger URL)");
    }
    java.util.List<WalletState.TxRecord> done = new java.util.ArrayList<>();
    for (WalletState.TxRecord rec : java.util.List.copyOf(wallet.state().transactions)) {
      if (rec.status != null && rec.status.startsWith("kept")) {
        applied(rec, submit(rec));
        done.add(rec);
      }
    }
    return done;
  }

  /** What a validated success changes locally: the channel exists on the ledger, or holds more. */
  private void applied(WalletState.TxRecord rec, String result) {
    WalletState.Channel ch = wallet.state().channel;
    if (!result.startsWith("tes") || ch == null) {
      return;
    }
    if (rec.kind.equals("create") && rec.hash.equals(ch.createHash)) {
      ch.onLedger = true;
    } else if (rec.kind.equals("fund")) {
      ch.amount = Math.addExact(ch.amount, rec.drops);
    }
    wallet.save();
  }

  private WalletState.Channel requireChannel() {
    if (wallet.state().channel == null) {
      throw new IllegalStateException("the wallet has no channel yet (run `fedsearch wallet open`)");
    }
    return wallet.state().channel;
  }

  private <T extends Transaction> WalletState.TxRecord record(String kind, SignedTx<T> signed) {
    WalletState.TxRecord r = new WalletState.TxRecord();
    r.kind = kind;
    r.hash = signed.hash();
    r.blob = signed.blob();
    r.status = ledger.isPresent() ? "signed" : "kept (no ledger: submit it later)";
    WalletState s = wallet.state();
    s.nextSequence = Math.max(s.nextSequence, signed.transaction().sequence().longValue() + 1);
    s.transactions.add(r);
    wallet.save(); // durable before it can reach the ledger
    return r;
  }

  /** Submits and waits for validation; returns the validated result ("" when kept without a ledger). */
  private String submit(WalletState.TxRecord rec) throws InterruptedException {
    if (ledger.isEmpty()) {
      return "";
    }
    Ledger l = ledger.get();
    String engine = l.submit(rec.blob);
    rec.status = "submitted: " + engine;
    wallet.save();
    if (!engine.startsWith("tes") && !engine.startsWith("ter")) {
      return engine;
    }
    Instant deadline = Instant.now().plus(validationTimeout);
    long sleep = 250;
    while (Instant.now().isBefore(deadline)) {
      Optional<String> result = l.validatedResult(rec.hash);
      if (result.isPresent()) {
        rec.status = "validated: " + result.get();
        wallet.save();
        return result.get();
      }
      Thread.sleep(sleep);
      sleep = Math.min(2_000, sleep * 2);
    }
    rec.status = "submitted: " + engine + ", not validated after " + validationTimeout.toSeconds() + " s";
    wallet.save();
    return "";
  }

  private long sequence() {
    return ledger.map(l -> l.accountSequence(wallet.key().address().value()))
        .map(seq -> Math.max(seq, 1L)).orElse(wallet.state().nextSequence);
  }

  private long fee() {
    return ledger.map(Ledger::feeDrops).orElse(EMBEDDED_FEE_DROPS);
  }

  private Optional<UnsignedInteger> lastLedger() {
    return ledger.map(l -> UnsignedInteger.valueOf(l.validatedLedgerIndex() + LEDGER_WINDOW));
  }
}
