package io.fedsearch.web.node;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.cid.Cid;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The demo's user wallet: a real XRPL account key (generated for the run, never persisted) that opens payment
 * channels to the platforms it buys from and pays with cumulative signed claims — the same path a user's own
 * wallet takes. Only nodes started for the demo have one; a production node never holds users' keys.
 */
public final class DemoWallet {
  /** Each channel the demo user opens holds 100 XRP. */
  public static final long CHANNEL_DROPS = 100_000_000;
  private static final long SETTLE_DELAY_S = 86_400;
  private static final long FEE_DROPS = 12;

  private final XrplAccountKey key;
  /**
   * One purchase at a time (a channel's claims must be made and sent in order). A lock rather than
   * {@code synchronized}: a purchase waits on the network, which inside a monitor would pin a virtual thread.
   */
  private final ReentrantLock buying = new ReentrantLock();
  private final Map<String, UserChannel> channels = new ConcurrentHashMap<>();
  private final Map<PeerId, String> addresses = new ConcurrentHashMap<>();
  /** When each listing was last bought (bounded by size), so a second purchase asks first. */
  private static final int MAX_REMEMBERED = 10_000;
  private final Cache<Cid, Instant> bought = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED).build();
  // Channel ids derive from (account, destination, sequence): a fresh range per run keeps them new.
  private final AtomicLong sequence = new AtomicLong(Instant.now().getEpochSecond());

  public DemoWallet(XrplAccountKey key) {
    this.key = key;
  }

  public String address() {
    return key.address().value();
  }

  /** Buys {@code cid} at {@code price} from the platform node {@code platform}, crediting {@code token}'s node. */
  public Receipt buy(PurchaseProtocol protocol, PeerId platform, Cid cid, long price, String token)
      throws IOException, PurchaseProtocol.Refused {
    buying.lock();
    try {
      String destination = addresses.get(platform);
      if (destination == null) {
        destination = protocol.address(platform);
        addresses.put(platform, destination);
      }
      UserChannel ch = channels.get(destination);
      if (ch == null || ch.authorised() + price > ch.amount()) { // none yet, or this one would run dry: a new channel
        ch = UserChannel.open(key, destination, Math.max(CHANNEL_DROPS, price), SETTLE_DELAY_S, Optional.empty(),
            sequence.getAndIncrement(), FEE_DROPS);
        channels.put(destination, ch);
      }
      Claim claim = ch.pay(price);
      Receipt r = protocol.buy(platform, claim, cid, price, token, Optional.of(ch.createBlob()));
      bought.put(cid, r.at());
      return r;
    } finally {
      buying.unlock();
    }
  }

  /** When this wallet last bought the listing {@code cid}, if it did (this run). */
  public Optional<Instant> boughtAt(Cid cid) {
    return Optional.ofNullable(bought.getIfPresent(cid));
  }
}
