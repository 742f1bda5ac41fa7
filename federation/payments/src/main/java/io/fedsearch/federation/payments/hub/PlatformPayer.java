package io.fedsearch.federation.payments.hub;

import io.fedsearch.federation.payments.journal.ChannelRows;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.payments.payer.PayerChannels;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hub's side toward platforms: its own channels to each platform (ordinary {@link PayerChannels}, tagged
 * {@code hub:<peer id>} so discovery payouts never share them — two payers signing cumulative claims over one
 * channel would make each other's claims decrease), liquidity, and the claim that pays for one purchase.
 *
 * <p>A claim the platform refused is not lost: the platform still holds its last receipted amount, so the next
 * purchase to it reuses the hub's latest claim when that already covers the price above what was receipted
 * ({@link #claim}); only the missing part is newly authorised. The hub thus pays each platform exactly the prices of
 * the receipts it got, plus at most one price it cannot account for per answer the network lost.
 */
final class PlatformPayer {
  /** Prefix of the {@code peer} of the hub's channels in {@code channels}. */
  static final String PEER_PREFIX = PayerChannels.PURCHASE_CHANNEL_PREFIX;

  /** The claim paying one purchase, with the channel's signed create while the platform may not know it. */
  record Payment(Claim claim, Optional<String> create) {}

  private final PayerChannels payer;
  private final PaymentsDb db;
  private final PurchaseProtocol protocol;
  private final HubConfig config;
  private final boolean ledger;
  private final Map<PeerId, String> addresses = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<String, Long> acknowledged;

  PlatformPayer(PayerChannels payer, PaymentsDb db, PurchaseProtocol protocol, HubConfig config, boolean ledger,
      Map<String, Long> acknowledged) {
    this.payer = payer;
    this.db = db;
    this.protocol = protocol;
    this.config = config;
    this.ledger = ledger;
    this.acknowledged = new ConcurrentHashMap<>(acknowledged);
  }

  /** The XRPL address purchases on {@code platform} pay into (asked once per platform). */
  String address(PeerId platform) {
    String known = addresses.get(platform);
    if (known != null) {
      return known;
    }
    try {
      String a = protocol.address(platform);
      addresses.put(platform, a);
      return a;
    } catch (IOException | PurchaseProtocol.Refused e) {
      throw new HubRefusal(502, "platform_unreachable", "cannot reach platform " + platform
          + " to learn where to pay it: " + e.getMessage() + "; nothing was charged, try again later");
    }
  }

  /**
   * A channel of this hub to {@code platform} (XRPL {@code address}) with room for {@code price} more, opening or
   * topping one up when none has; waits up to {@code liquidityWait} for a top-up to count (with a ledger), else
   * refuses {@code liquidity} saying why. Without a ledger a new channel is opened rather than a top-up queued: the
   * platform learns a channel from its signed create, and an embedded platform would not see a top-up.
   */
  String channelFor(PeerId platform, String address, long price) {
    String tag = PEER_PREFIX + platform;
    Optional<String> usable = usable(address, tag, price);
    if (usable.isPresent()) {
      return usable.get();
    }
    Optional<PayerChannels.View> open = mine(address, tag, v -> v.terms().confirmed());
    try {
      if (ledger && open.isPresent()) {
        payer.fundNow(open.get().terms().id(), Math.max(price, config.platformChannelDrops()),
            "a hub purchase of " + price + " drops from " + platform + " does not fit");
      } else {
        payer.open(address, Math.max(price, config.platformChannelDrops()), config.platformSettleDelay(),
            Optional.empty(), tag);
      }
    } catch (PaymentRejectedException e) {
      throw new HubRefusal(503, "liquidity", "this hub cannot pay platform " + platform + " " + price
          + " drops now: " + e.getMessage());
    }
    long deadline = System.nanoTime() + config.liquidityWait().toNanos();
    while (true) {
      usable = usable(address, tag, price);
      if (usable.isPresent()) {
        return usable.get();
      }
      if (System.nanoTime() > deadline) {
        throw new HubRefusal(503, "liquidity", "this hub's channel to platform " + platform + " has less than "
            + price + " drops left; more is on its way to the ledger: try again in a few seconds");
      }
      try {
        Thread.sleep(Duration.ofMillis(100));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HubRefusal(503, "liquidity", "interrupted while waiting for liquidity");
      }
    }
  }

  private Optional<PayerChannels.View> mine(String address, String tag,
      java.util.function.Predicate<PayerChannels.View> also) {
    return payer.channels().stream()
        .filter(v -> v.terms().destination().equals(address) && tag.equals(v.peer()))
        .filter(v -> "unconfirmed".equals(v.status()) || "open".equals(v.status()))
        .filter(also)
        .findFirst();
  }

  private Optional<String> usable(String address, String tag, long price) {
    // with a ledger a claim counts only within the validated amount (see PayerChannels.authorise)
    return mine(address, tag, v -> (!ledger || v.terms().confirmed()) && v.remaining() >= price)
        .map(v -> v.terms().id());
  }

  /** Serialises the claims over one of the hub's channels with the purchases they pay for (cumulative claims). */
  ReentrantLock lock(String channel) {
    return locks.computeIfAbsent(channel, k -> new ReentrantLock());
  }

  /** The claim that pays {@code price} over {@code channel} (caller holds {@link #lock}); durable when returned. */
  Payment claim(String channel, long price) {
    long receipted = acknowledged.getOrDefault(channel, 0L);
    Optional<Claim> latest = payer.latestClaim(channel);
    long slack = latest.map(c -> c.drops() - receipted).orElse(0L);
    Optional<String> create = receipted == 0 ? createBlob(channel) : Optional.empty();
    if (slack >= price) {
      return new Payment(latest.get(), create);
    }
    return new Payment(payer.authorise(channel, price - slack), create);
  }

  /** A journaled claim sent again (recovery): with the create while the platform has receipted nothing on it. */
  Payment again(Claim journaled) {
    String channel = journaled.channel();
    return new Payment(journaled, acknowledged.getOrDefault(channel, 0L) == 0 ? createBlob(channel)
        : Optional.empty());
  }

  /** The platform receipted (or, refusing a claim as already covered, showed it holds) {@code drops}. */
  void acknowledged(String channel, long drops) {
    acknowledged.merge(channel, drops, Math::max);
  }

  private Optional<String> createBlob(String channel) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(ChannelRows.CREATE_BLOB)) {
        ps.setString(1, channel);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }
}
