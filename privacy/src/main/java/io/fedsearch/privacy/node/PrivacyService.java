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
import io.fedsearch.privacy.noise.NoiseRandom;
import io.fedsearch.privacy.release.Calibration;
import io.fedsearch.privacy.release.CatalogDomain;
import io.fedsearch.privacy.release.CreatorKey;
import io.fedsearch.privacy.release.EpochTree;
import io.fedsearch.privacy.release.SignalMechanism.NoisyValue;
import io.fedsearch.privacy.release.Unit;
import io.fedsearch.privacy.release.UnitBudget;
import io.fedsearch.privacy.release.UnitParameters;
import io.fedsearch.privacy.release.CidAggregate;
import io.fedsearch.privacy.release.Contribution;
import io.fedsearch.privacy.release.ContributionBounder;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.release.SignalMechanism;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.privacy.store.PrivacyDb;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  private final TreeNodes treeNodes;
  private volatile CatalogDomain domain = CatalogDomain.NONE;
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
    this.treeNodes = new TreeNodes(db);
  }

  /** Opens (creating on first use) the privacy state of {@code nodeDir}, with a fresh {@link NoiseRandom}. */
  public static PrivacyService open(Path nodeDir, RecordSigner signer, ReleaseConfig config) {
    return open(nodeDir, signer, config, NoiseRandom.create(), Clock.systemUTC());
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
   * Releases closed epoch {@code epoch}: for each unit (CID, creator), the tree node ending at this epoch ({@link
   * EpochTree#nodeReleasedAt}) — contributions bounded per payer over the node's span, exact noise, partition
   * selection for keys not yet public — then the window's running totals (the sum of the window's stored nodes),
   * signed. The release, its node values and one budget row per unit are stored in one transaction. Refused (nothing
   * spent) when the budget would be overspent, the epoch is not over yet, or it was already released.
   */
  public SignedRelease release(long epoch) throws BudgetExceededException {
    if (epoch < 0 || epoch >= currentEpoch()) {
      throw new IllegalStateException("epoch " + epoch + " is not closed yet (current epoch is " + currentEpoch()
          + "); only past epochs are released");
    }
    db.lock().lock();
    try {
      if (releases.ownEpochs().contains(epoch)) {
        throw new IllegalStateException("epoch " + epoch + " is already released; serve the stored release"
            + " (releases().own(" + epoch + ")) instead of spending budget again");
      }
      int levels = config.treeLevels();
      EpochTree.Node node = EpochTree.nodeReleasedAt(epoch, levels);
      List<EpochTree.Node> window = EpochTree.window(epoch, levels);
      Map<Unit, Calibration> cals = new EnumMap<>(Unit.class);
      List<Spend> ledgerSpends = new ArrayList<>(ledger.spends());
      List<Spend> spends = new ArrayList<>();
      for (Unit u : Unit.values()) {
        UnitBudget b = config.unit(u);
        Calibration cal = Calibration.of(b);
        cals.put(u, cal);
        Spend spend = new Spend(epoch, config.mechanism(), b.epsilon(), b.delta(), cal.rho(), cal.selectionDelta(),
            u, node.start(), node.length());
        PrivacyAccountant.check(ledgerSpends, spend, config);
        ledgerSpends.add(spend);
        spends.add(spend);
      }

      List<StoredEvent> events = records.range(config.epochLength().getSeconds(), node.start(), node.end());
      Optional<SignalRelease> previous = releases.ownBefore(epoch);
      Map<String, String> listings = domain.listings();
      Map<Unit, SortedMap<String, NoisyValue>> fresh = new EnumMap<>(Unit.class);
      Map<Unit, SortedMap<String, NoisyValue>> sums = new EnumMap<>(Unit.class);
      for (Unit u : Unit.values()) {
        UnitBudget b = config.unit(u);
        List<Contribution> contributions = new ArrayList<>();
        for (StoredEvent e : events) {
          if (u == Unit.CID) {
            contributions.add(new Contribution(e.payerPseudonym(), e.cid(), e.drops()));
          } else if (!e.creator().isBlank()) {
            contributions.add(new Contribution(e.payerPseudonym(), CreatorKey.of(e.creator()), e.drops()));
          }
        }
        SortedMap<String, CidAggregate> agg =
            new ContributionBounder(b.maxKeysPerPayer(), b.maxDropsPerKey()).bound(contributions, rng);
        Set<String> published = new HashSet<>(previous.map(r -> publicKeys(r, u)).orElse(Set.of()));
        if (u == Unit.CID) {
          published.addAll(listings.keySet());
        } else {
          listings.values().stream().filter(c -> !c.isBlank()).distinct().map(CreatorKey::of).forEach(published::add);
        }
        SortedMap<String, NoisyValue> values = SignalMechanism.releaseNode(agg, published, cals.get(u), rng);
        fresh.put(u, values);
        List<Map<String, NoisyValue>> nodes = new ArrayList<>();
        for (EpochTree.Node n : window) {
          nodes.add(n.equals(node) ? values : treeNodes.read(u, n));
        }
        sums.put(u, SignalMechanism.sum(nodes));
      }
      long epochSeconds = config.epochLength().getSeconds();
      int nodeCount = window.size();
      SignedRelease signed = new SignalRelease(nodeKey, epoch, epochSeconds, config.mechanism(), levels,
          EpochTree.windowStart(epoch, levels),
          UnitParameters.of(config.unit(Unit.CID), cals.get(Unit.CID), nodeCount),
          SignalMechanism.cidRows(sums.get(Unit.CID)),
          UnitParameters.of(config.unit(Unit.CREATOR), cals.get(Unit.CREATOR), nodeCount),
          SignalMechanism.creatorRows(sums.get(Unit.CREATOR))).sign(signer);
      if (!signed.verifies()) {
        throw new IllegalStateException("the node signer produced a signature that does not verify");
      }
      try {
        for (Spend spend : spends) {
          ledger.appendUncommitted(spend, clock.instant(), "node " + node.start() + ".." + node.end() + ", "
              + fresh.get(spend.unit()).size() + " keys; window " + signed.release().windowStart() + ".." + epoch
              + ", " + (spend.unit() == Unit.CID ? signed.release().rows().size()
                  : signed.release().creatorRows().size()) + " rows");
        }
        for (Unit u : Unit.values()) {
          treeNodes.insertUncommitted(u, node, fresh.get(u));
        }
        treeNodes.pruneUncommitted(signed.release().windowStart());
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
    } finally {
      db.lock().unlock();
    }
  }

  private static Set<String> publicKeys(SignalRelease r, Unit u) {
    Set<String> keys = new HashSet<>();
    if (u == Unit.CID) {
      r.rows().forEach(row -> keys.add(row.cid()));
    } else {
      r.creatorRows().forEach(row -> keys.add(row.creator()));
    }
    return keys;
  }

  /**
   * Releases every closed epoch not yet released, oldest first, from the epoch of the earliest stored event or
   * the one after the latest own release (empty epochs in between are released too: skipping them would reveal
   * that nobody paid). Stops with the refusal when the budget runs out; releases made before it stay published.
   */
  public List<SignedRelease> releaseDue() throws BudgetExceededException {
    db.lock().lock();
    try {
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
    } finally {
      db.lock().unlock();
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

  /** The budget line of each unit (CID, creator): what its rows alone have spent. */
  public Map<Unit, BudgetStatus> budgetByUnit() {
    return PrivacyAccountant.statusByUnit(ledger.spends(), config);
  }

  /** Where noise and bounding choices come from: algorithm and provider of this service's generator. */
  public String noiseSource() {
    return rng.getAlgorithm() + " (" + rng.getProvider().getName() + ")";
  }

  /** Own and received releases: serving, p2p exchange, ranking and reputation lookups. */
  public SignalReleases releases() {
    return releases;
  }

  /**
   * Sets the public domain released without partition selection from the next release on (by default none): the
   * platform's own listings and their creators, which are public before anyone pays.
   */
  public void setCatalogDomain(CatalogDomain domain) {
    this.domain = domain == null ? CatalogDomain.NONE : domain;
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
