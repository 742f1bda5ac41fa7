package io.fedsearch.federation.payments;

import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.ledger.Ledger;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.ledger.Submitter;
import io.fedsearch.federation.payments.ledger.XrplLedger;
import io.fedsearch.federation.payments.netting.CycleCoordinator;
import io.fedsearch.federation.payments.netting.CycleParty;
import io.fedsearch.federation.payments.payee.PayeeChannels;
import io.fedsearch.federation.payments.payee.Settlement;
import io.fedsearch.federation.payments.payee.SettlementStatus;
import io.fedsearch.federation.payments.payer.PayerChannels;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.Netting;
import io.fedsearch.federation.payments.payout.PayoutReceiver;
import io.fedsearch.federation.payments.payout.PayoutService;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.federation.payments.purchase.PurchaseService;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.federation.payments.watch.AnomalyDetector;
import io.fedsearch.federation.payments.watch.ChannelMonitor;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A node's payments, assembled from its directory: the XRPL account key ({@code keys/xrpl-account*.json}), the
 * journal ({@code payments.db}), both sides of its channels, the outbox (and, with a rippled URL, the ledger client
 * and submitter), settlement, purchases, discovery payouts, netting and monitoring. {@link #tick()} runs the
 * periodic work; the node calls it on a timer (e.g. every 10 s).
 */
public final class Payments implements AutoCloseable {
  /** What one tick did. */
  public record Tick(List<Settlement.Settled> settled, List<PayerChannels.Action> maintenance,
      List<PayoutService.Payout> payouts, Optional<Submitter.Round> submitted) {}

  private final PaymentsConfig config;
  private final XrplAccountKey account;
  private final PaymentsDb db;
  private final Optional<Ledger> ledger;
  private final Outbox outbox;
  private final PayeeChannels payee;
  private final PayerChannels payer;
  private final Settlement settlement;
  private final Optional<Submitter> submitter;
  private final FeeBook fees;
  private final AnomalyDetector anomalies;
  private final PurchaseService purchases;
  private final Netting netting;
  private final CycleParty cycles;
  private final PayoutService payouts;
  private final PayoutReceiver receiver;
  private final ChannelMonitor monitor;

  private Payments(Path nodeDir, NodeKey nodeKey, PaymentsConfig config, Optional<Ledger> ledger,
      PayoutTransport transport, Clock clock) {
    this.config = config;
    this.account = XrplAccountKey.loadOrCreate(nodeDir, config.keyType());
    this.db = PaymentsDb.open(nodeDir);
    this.ledger = ledger;
    this.outbox = new Outbox(db, account, config, clock);
    this.payee = new PayeeChannels(db, account.address().value(), ledger, config, clock);
    this.payer = new PayerChannels(db, outbox, ledger, config, clock);
    this.settlement = new Settlement(payee, outbox, db, config, clock, ledger.isPresent());
    this.submitter = ledger.map(l -> new Submitter(outbox, l, config));
    this.fees = new FeeBook(db, clock, config.holdExpiry());
    this.anomalies = new AnomalyDetector(config);
    this.purchases = new PurchaseService(db, payee, nodeKey, fees, anomalies, config, clock);
    this.netting = new Netting(nodeKey, fees, db, clock);
    this.cycles = new CycleParty(nodeKey, fees, db);
    this.payouts = new PayoutService(nodeKey, fees, payer, transport, netting,
        new CycleCoordinator(nodeKey, cycles, db, clock), db, config, clock);
    this.receiver = new PayoutReceiver(nodeKey, account, payee, netting, cycles, clock);
    this.monitor = new ChannelMonitor(payer, payee, db, config, clock);
  }

  /**
   * Opens the payments of the node directory {@code nodeDir} (creating the account key and database when absent).
   * With {@code config.rippledUrl()} set, channel state comes from that server and the submitter sends the outbox.
   */
  public static Payments open(Path nodeDir, NodeKey nodeKey, PaymentsConfig config, PayoutTransport transport,
      Clock clock) {
    return open(nodeDir, nodeKey, config, config.rippledUrl().map(XrplLedger::new), transport, clock);
  }

  /** As above with an explicit ledger (tests use a local rippled test double). */
  public static Payments open(Path nodeDir, NodeKey nodeKey, PaymentsConfig config, Optional<Ledger> ledger,
      PayoutTransport transport, Clock clock) {
    Payments p = new Payments(nodeDir, nodeKey, config, ledger, transport, clock);
    ledger.ifPresent(l -> p.outbox.syncSequence(l.accountSequence(p.account.address().value())));
    return p;
  }

  /**
   * Periodic work: settle due channels, read our own channels from the ledger, top up / close them, pay due fees,
   * send the outbox.
   */
  public Tick tick() {
    payee.refreshFromLedger();
    List<Settlement.Settled> settled = settlement.run();
    payer.refreshFromLedger();
    List<PayerChannels.Action> maintenance = payer.maintain();
    List<PayoutService.Payout> paid = payouts.runDue();
    Optional<Submitter.Round> round = submitter.map(Submitter::runOnce);
    return new Tick(settled, maintenance, paid, round);
  }

  public PaymentsConfig config() {
    return config;
  }

  public XrplAccountKey account() {
    return account;
  }

  public PaymentsDb db() {
    return db;
  }

  public Optional<Ledger> ledger() {
    return ledger;
  }

  public Outbox outbox() {
    return outbox;
  }

  public PayeeChannels payee() {
    return payee;
  }

  public PayerChannels payer() {
    return payer;
  }

  public Settlement settlement() {
    return settlement;
  }

  /** How far each channel paid to this node has reached the ledger (what its payer may ask). */
  public SettlementStatus settlementStatus() {
    return new SettlementStatus(payee, outbox, config);
  }

  public Optional<Submitter> submitter() {
    return submitter;
  }

  public FeeBook fees() {
    return fees;
  }

  public PurchaseService purchases() {
    return purchases;
  }

  public PayoutService payouts() {
    return payouts;
  }

  public PayoutReceiver receiver() {
    return receiver;
  }

  public Netting netting() {
    return netting;
  }

  /** Multilateral netting's party side: the cycles this node signed or coordinated. */
  public CycleParty cycles() {
    return cycles;
  }

  public ChannelMonitor monitor() {
    return monitor;
  }

  public AnomalyDetector anomalies() {
    return anomalies;
  }

  @Override
  public void close() {
    db.close();
    purchases.close();
  }
}
