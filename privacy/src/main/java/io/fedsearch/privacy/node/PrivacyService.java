package io.fedsearch.privacy.node;

import io.fedsearch.privacy.accounting.BudgetExceededException;
import io.fedsearch.privacy.accounting.BudgetLedger;
import io.fedsearch.privacy.accounting.BudgetStatus;
import io.fedsearch.privacy.accounting.LedgerEntry;
import io.fedsearch.privacy.accounting.PrivacyAccountant;
import io.fedsearch.privacy.accounting.Spend;
import io.fedsearch.privacy.records.PaymentEvent;
import io.fedsearch.privacy.records.PaymentRecords;
import io.fedsearch.privacy.records.RecordKeys;
import io.fedsearch.privacy.records.StoredEvent;
import io.fedsearch.privacy.release.Calibration;
import io.fedsearch.privacy.release.CidAggregate;
import io.fedsearch.privacy.release.Contribution;
import io.fedsearch.privacy.release.ContributionBounder;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.release.SignalMechanism;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignalRow;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.privacy.store.PrivacyDb;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;

/**
 * The privacy side of a node, built from its directory: records payment events encrypted, releases one signed,
 * differentially private signal per closed epoch under the budget, and holds releases for serving and ranking.
 *
 * <pre>{@code
 * PrivacyService privacy = PrivacyService.open(nodeDir, RecordSigner.of(nodeKey::sign, nodeKey.publicKey().bytes()),
 *     ReleaseConfig.fromProperties(props));
 * privacy.record(new PaymentEvent(cid, payerAccount, drops, Instant.now()));   // durable on return
 * List<SignedRelease> published = privacy.releaseDue();                         // e.g. hourly; releases closed epochs
 * privacy.releases().ownJson(epoch);                                            // GET /api/signals?epoch=
 * privacy.ledger(); privacy.budget();                                           // the budget ledger
 * }</pre>
 */
public final class PrivacyService implements AutoCloseable {
  /** Most epochs {@link #releaseDue} releases in one call. */
  public static final int MAX_EPOCHS_PER_CALL = 1000;

  private final PrivacyDb db;
  private final RecordKeys keys;
  private final PaymentRecords records;
  private final BudgetLedger ledger;
  private final SignalReleases releases;
  private final RecordSigner signer;
  private final ReleaseConfig config;
  private final SecureRandom rng;
  private final Clock clock;
  private final String nodeKey;

  private PrivacyService(PrivacyDb db, RecordKeys keys, RecordSigner signer, ReleaseConfig config, SecureRandom rng,
      Clock clock) {
    this.db = db;
    this.keys = keys;
    this.records = new PaymentRecords(db, keys);
    this.ledger = new BudgetLedger(db);
    this.signer = signer;
    this.config = config;
    this.rng = rng;
    this.clock = clock;
    this.nodeKey = HexFormat.of().formatHex(signer.publicKey());
    this.releases = new SignalReleases(db, nodeKey, clock);
  }

  /** Opens (creating on first use) the privacy state of {@code nodeDir}, with a fresh {@link SecureRandom}. */
  public static PrivacyService open(Path nodeDir, RecordSigner signer, ReleaseConfig config) {
    return open(nodeDir, signer, config, new SecureRandom(), Clock.systemUTC());
  }

  /** As {@link #open(Path, RecordSigner, ReleaseConfig)} with the noise source and clock given. */
  public static PrivacyService open(Path nodeDir, RecordSigner signer, ReleaseConfig config, SecureRandom rng,
      Clock clock) {
    PrivacyDb db = PrivacyDb.open(nodeDir);
    try {
      RecordKeys keys = RecordKeys.load(nodeDir, PaymentRecords.count(db) == 0);
      return new PrivacyService(db, keys, signer, config, rng, clock);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  public ReleaseConfig config() {
    return config;
  }

  /** The epoch now (releases are possible for epochs before it). */
  public long currentEpoch() {
    return config.epochOf(clock.instant().getEpochSecond());
  }

  /** Stores the event encrypted, payer pseudonymised; durable when this returns. Returns the row id. */
  public long record(PaymentEvent event) {
    return records.record(event, config.epochLength().getSeconds(), config.epochOf(event.time().getEpochSecond()));
  }

  /** Stores several events in one transaction (one fsync; all or none): for batches from the payments journal. */
  public List<Long> recordAll(List<PaymentEvent> events) {
    List<Long> epochs = events.stream().map(e -> config.epochOf(e.time().getEpochSecond())).toList();
    return records.recordAll(events, config.epochLength().getSeconds(), epochs);
  }

  /**
   * Releases closed epoch {@code epoch}: bounds contributions, adds exact noise, selects partitions, signs, and
   * stores the release and its budget spend in one transaction. Refused (nothing spent) when the budget would be
   * overspent, the epoch is not over yet, or it was already released.
   */
  public SignedRelease release(long epoch) throws BudgetExceededException {
    if (epoch < 0 || epoch >= currentEpoch()) {
      throw new IllegalStateException("epoch " + epoch + " is not closed yet (current epoch is " + currentEpoch()
          + "); only past epochs are released");
    }
    synchronized (db) {
      if (releases.own(epoch).isPresent()) {
        throw new IllegalStateException("epoch " + epoch + " is already released; serve the stored release"
            + " (releases().own(" + epoch + ")) instead of spending budget again");
      }
      Calibration cal = Calibration.of(config);
      Spend spend = new Spend(epoch, config.mechanism(), config.epsilon(), config.delta(), cal.rho(),
          cal.selectionDelta());
      PrivacyAccountant.check(ledger.spends(), spend, config);

      long epochSeconds = config.epochLength().getSeconds();
      List<Contribution> contributions = new ArrayList<>();
      for (StoredEvent e : records.epoch(epochSeconds, epoch)) {
        contributions.add(new Contribution(e.payerPseudonym(), e.cid(), e.drops()));
      }
      SortedMap<String, CidAggregate> aggregates =
          new ContributionBounder(config.maxCidsPerPayer(), config.maxDropsPerCid()).bound(contributions, rng);
      List<SignalRow> rows = SignalMechanism.release(aggregates, cal, rng);
      SignedRelease signed = new SignalRelease(nodeKey, epoch, epochSeconds, config.mechanism(), config.epsilon(),
          config.delta(), config.maxCidsPerPayer(), config.maxDropsPerCid(), cal.threshold(),
          cal.countScale().toString(), cal.sumScale().toString(), rows).sign(signer);
      if (!signed.verifies()) {
        throw new IllegalStateException("the node signer produced a signature that does not verify");
      }
      try {
        ledger.appendUncommitted(spend, clock.instant(), rows.size() + " rows");
        releases.insertOwnUncommitted(signed);
        db.connection().commit();
      } catch (SQLException e) {
        try {
          db.connection().rollback();
        } catch (SQLException ignored) {
          // reporting the original failure
        }
        throw new IllegalStateException("cannot store release of epoch " + epoch + ": " + e.getMessage(), e);
      } finally {
        releases.invalidate();
      }
      return signed;
    }
  }

  /**
   * Releases every closed epoch not yet released, oldest first, from the epoch of the earliest stored event or
   * the one after the latest own release (empty epochs in between are released too: skipping them would reveal
   * that nobody paid). Stops with the refusal when the budget runs out; releases made before it stay published.
   */
  public List<SignedRelease> releaseDue() throws BudgetExceededException {
    synchronized (db) {
      List<Long> own = releases.ownEpochs();
      List<Long> withEvents = records.epochs(config.epochLength().getSeconds());
      long from;
      if (!own.isEmpty()) {
        from = own.get(own.size() - 1) + 1;
      } else if (!withEvents.isEmpty()) {
        from = withEvents.get(0);
      } else {
        return List.of();
      }
      long to = Math.min(currentEpoch(), from + MAX_EPOCHS_PER_CALL);
      List<SignedRelease> out = new ArrayList<>();
      for (long e = from; e < to; e++) {
        out.add(release(e));
      }
      return out;
    }
  }

  /** The budget ledger, oldest first. */
  public List<LedgerEntry> ledger() {
    return ledger.entries();
  }

  /** Budget spent and left. */
  public BudgetStatus budget() {
    return PrivacyAccountant.status(ledger.spends(), config);
  }

  /** Own and received releases: serving, p2p exchange, ranking and reputation lookups. */
  public SignalReleases releases() {
    return releases;
  }

  /** Adds a new primary record-encryption key; earlier events stay readable. */
  public void rotateRecordKey() {
    keys.rotate();
  }

  /** Decrypted events of an epoch (for audits and tests; raw events never leave the node). */
  public List<StoredEvent> events(long epoch) {
    return records.epoch(config.epochLength().getSeconds(), epoch);
  }

  @Override
  public void close() {
    db.close();
  }
}
