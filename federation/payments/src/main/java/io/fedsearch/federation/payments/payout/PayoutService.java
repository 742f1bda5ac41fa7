package io.fedsearch.federation.payments.payout;

import io.fedsearch.federation.payments.journal.ChannelRows;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.payer.PayerChannels;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pays the discovery fees this platform owes (see {@link FeeBook}) with cumulative claims over a channel from our
 * account to each node's, sent over the payout protocol and batched: a node is paid once it is owed
 * {@code payoutMinDrops} or its oldest unpaid fee is {@code payoutMaxDelay} old, unless it is held. The first
 * payout over a new channel carries the signed create, a top-up carries the signed fund. A claim that was sent but
 * not acknowledged is simply covered by the next cumulative claim.
 */
public final class PayoutService {
  /** The outcome of one payout attempt. */
  public record Payout(String node, String channel, long amount, long cumulative, String status, String reason,
      Instant at) {}

  private final NodeKey me;
  private final FeeBook fees;
  private final PayerChannels payer;
  private final PayoutTransport transport;
  /**
   * One payout or netting at a time. A lock rather than {@code synchronized}: both wait on the network (and the
   * journal's fsync), which inside a monitor would pin a virtual thread to its carrier.
   */
  private final ReentrantLock paying = new ReentrantLock();
  private final Netting netting;
  private final PaymentsDb db;
  private final PaymentsConfig config;
  private final Clock clock;
  private final ConcurrentHashMap<NodePublicKey, String> addresses = new ConcurrentHashMap<>();

  /** Multilateral netting from this node; null when built without it. */
  private final io.fedsearch.federation.payments.netting.CycleCoordinator cycles;

  public PayoutService(NodeKey me, FeeBook fees, PayerChannels payer, PayoutTransport transport, Netting netting,
      PaymentsDb db, PaymentsConfig config, Clock clock) {
    this(me, fees, payer, transport, netting, null, db, config, clock);
  }

  public PayoutService(NodeKey me, FeeBook fees, PayerChannels payer, PayoutTransport transport, Netting netting,
      io.fedsearch.federation.payments.netting.CycleCoordinator cycles, PaymentsDb db, PaymentsConfig config,
      Clock clock) {
    this.cycles = cycles;
    this.me = me;
    this.fees = fees;
    this.payer = payer;
    this.transport = transport;
    this.netting = netting;
    this.db = db;
    this.config = config;
    this.clock = clock;
  }

  /** Pays every node that is due and not held; returns what happened to each. */
  public List<Payout> runDue() {
    Instant now = clock.instant();
    List<Payout> out = new ArrayList<>();
    for (FeeBook.Owed o : fees.all()) {
      if (o.due() <= 0 || o.heldReason().isPresent()) {
        continue;
      }
      boolean old = o.firstUnpaidAt().map(t -> !Duration.between(t, now).minus(config.payoutMaxDelay())
          .isNegative()).orElse(false);
      if (o.due() >= config.payoutMinDrops() || old) {
        out.add(pay(o.node()));
      }
    }
    return out;
  }

  /** Pays {@code node} everything due now (an operator's or the batcher's decision). */
  public Payout pay(NodePublicKey node) {
    paying.lock();
    try {
      return payLocked(node);
    } finally {
      paying.unlock();
    }
  }

  private Payout payLocked(NodePublicKey node) {
    Instant now = clock.instant();
    Optional<FeeBook.Owed> owed = fees.of(node);
    if (owed.isEmpty() || owed.get().due() <= 0) {
      return new Payout(node.hex(), null, 0, 0, "nothing_due", null, now);
    }
    if (owed.get().heldReason().isPresent()) {
      return new Payout(node.hex(), null, 0, 0, "held", owed.get().heldReason().get(), now);
    }
    long due = owed.get().due();
    try {
      String address = addressOf(node);
      Optional<PayerChannels.View> existing = payer.channels().stream()
          .filter(v -> v.terms().destination().equals(address) && "unconfirmed,open".contains(v.status()))
          .filter(v -> v.peer() == null || !v.peer().startsWith("hub:")) // a hub's channel: its claims, not ours
          .findFirst();
      String create = null;
      String fund = null;
      String channel;
      long acked;
      if (existing.isEmpty()) {
        PayerChannels.Opened opened = payer.open(address, Math.max(config.payoutChannelDrops(), 2 * due),
            config.payoutSettleDelay(), Optional.empty(), node.hex());
        channel = opened.terms().id();
        create = opened.createBlob();
        acked = 0;
      } else {
        channel = existing.get().terms().id();
        acked = acknowledged(channel);
        if (existing.get().authorised() == acked && acked == 0) {
          create = createBlobOf(channel); // never acknowledged: the payee may not know the channel yet
        }
      }
      PayerChannels.View view = payer.channels().stream().filter(v -> v.terms().id().equals(channel))
          .findFirst().orElseThrow();
      long outstanding = view.authorised() - acked;
      long increment = due - outstanding;
      if (increment > 0 && view.remaining() < increment) {
        fund = payer.fundNow(channel, increment - view.remaining() + config.payoutChannelDrops(),
            "payout of " + due + " drops needs more than the " + view.remaining() + " left").blob();
      }
      Claim claim = increment > 0 ? payer.authorise(channel, increment) : payer.latestClaim(channel).orElseThrow();
      Map<String, Object> msg = PayoutWire.body("payout", me.publicKey(), node, clock.instant());
      msg.put("channel", channel);
      msg.put("amount", claim.drops());
      msg.put("signature", claim.signature());
      if (create != null) {
        msg.put("create", create);
      }
      if (fund != null) {
        msg.put("fund", fund);
      }
      byte[] ackWire = transport.exchange(node, PayoutWire.seal(me, msg));
      PayoutWire.Envelope ack = PayoutWire.open(ackWire, me.publicKey(), clock.instant());
      if (!ack.from().equals(node) || !"payout_ack".equals(ack.type())) {
        return new Payout(node.hex(), channel, 0, claim.drops(), "failed",
            "unexpected answer " + ack.type() + ": " + ack.optText("message"), now);
      }
      boolean accepted = "accepted".equals(ack.text("status"));
      boolean replayed = "replayed".equals(ack.optText("reason")) && ack.num("amount") == claim.drops();
      if (!accepted && !replayed) {
        return new Payout(node.hex(), channel, 0, claim.drops(), "rejected",
            ack.optText("reason") + ": " + ack.optText("message"), now);
      }
      long paid = claim.drops() - acked;
      String ackText = Base64.getEncoder().encodeToString(ackWire);
      db.write(c -> {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO payouts(node, channel, cumulative, amount, at, ack) VALUES(?,?,?,?,?,?)")) {
          ps.setString(1, node.hex());
          ps.setString(2, channel);
          ps.setLong(3, claim.drops());
          ps.setLong(4, paid);
          ps.setLong(5, now.toEpochMilli());
          ps.setString(6, ackText);
          ps.executeUpdate();
        }
        FeeBook.paid(node, paid, now).apply(c);
      });
      return new Payout(node.hex(), channel, paid, claim.drops(), "paid", null, now);
    } catch (IOException | RuntimeException e) {
      return new Payout(node.hex(), null, 0, 0, "failed", e.getMessage(), now);
    }
  }

  /** Nets mutual debts with {@code peer} (see {@link Netting}). */
  public Netting.Result net(NodePublicKey peer) throws IOException {
    paying.lock();
    try {
      return netting.initiate(peer, transport);
    } finally {
      paying.unlock();
    }
  }

  /**
   * Multilateral netting: cancels the debt cycles through this node, each statement signed by every party (see
   * {@link io.fedsearch.federation.payments.netting.CycleCoordinator}); mutual debts are its 2-cycles.
   */
  public List<io.fedsearch.federation.payments.netting.CycleCoordinator.Outcome> netCycles() {
    if (cycles == null) {
      throw new IllegalStateException("this payout service was built without multilateral netting");
    }
    paying.lock();
    try {
      return cycles.run(transport);
    } finally {
      paying.unlock();
    }
  }

  private String addressOf(NodePublicKey node) throws IOException {
    String cached = addresses.get(node);
    if (cached != null) {
      return cached;
    }
    byte[] req = PayoutWire.seal(me, PayoutWire.body("address_request", me.publicKey(), node, clock.instant()));
    PayoutWire.Envelope r = PayoutWire.open(transport.exchange(node, req), me.publicKey(), clock.instant());
    if (!r.from().equals(node) || !"address".equals(r.type())) {
      throw new IOException("node " + node.hex() + " did not tell its XRPL address: " + r.optText("message"));
    }
    String address = r.text("address");
    addresses.put(node, address);
    return address;
  }

  private long acknowledged(String channel) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT coalesce(max(cumulative), 0) FROM payouts WHERE channel=?")) {
        ps.setString(1, channel);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  private String createBlobOf(String channel) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(ChannelRows.CREATE_BLOB)) {
        ps.setString(1, channel);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    });
  }

  /** Every acknowledged payout, newest first, at most {@code limit}. */
  public List<Payout> history(int limit) {
    return db.read(c -> {
      List<Payout> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT node, channel, amount, cumulative, at FROM payouts ORDER BY id DESC LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Payout(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), "paid", null,
                Instant.ofEpochMilli(rs.getLong(5))));
          }
        }
      }
      return out;
    });
  }

  public FeeBook fees() {
    return fees;
  }

}
