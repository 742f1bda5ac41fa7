package io.fedsearch.web.node;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.hub.HubAnswer;
import io.fedsearch.federation.payments.hub.HubRequest;
import io.fedsearch.federation.payments.hub.HubService;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * A simulated user of the demo, paying the way a real wallet does: one XRPL account, one channel to its home node
 * acting as its hub, and every purchase — from any platform — through that channel (issue 21's flow, in process:
 * the same {@link HubService} the HTTP API and {@code /fedsearch/hub/1.0.0} reach), the hub's own listings included
 * (it sells those itself, without a hub fee). Keys live for the run only; a real user's wallet keeps them on their
 * own machine.
 */
final class DemoHubUser {
  /** The user's channel to its hub holds 100 XRP (within the demo hubs' provisional caps). */
  private static final long CHANNEL_DROPS = 100_000_000;
  private static final long FEE_DROPS = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final XrplAccountKey account = XrplAccountKey.generate(KeyType.ED25519);
  /** One receipt key for the run (a real wallet derives one per platform from its seed). */
  private final NodeKey receiptKey = NodeKey.generate();
  private final RunningNode home;
  /** One purchase at a time: cumulative claims over one channel go in order (and the hub allows one in flight). */
  private final ReentrantLock buying = new ReentrantLock();
  private UserChannel channel;
  private boolean presented;
  private long sequence = 1;

  DemoHubUser(RunningNode home) {
    this.home = home;
  }

  RunningNode home() {
    return home;
  }

  /**
   * Buys {@code cid} at {@code price} from the platform node {@code platform} through the home hub; returns
   * whether it was delivered (a credited purchase leaves its value with the hub as credit, as for a real wallet).
   */
  boolean buy(PeerId platform, Cid cid, long price, String token) {
    HubService hub = home.hub().orElseThrow(() -> new IllegalStateException("the demo user's home node is no hub"));
    buying.lock();
    try {
      long cost = price + hub.fee(platform, price); // no hub fee on the hub's own listings
      if (channel == null || channel.authorised() + cost > channel.amount()) {
        HubService.Terms terms = hub.terms();
        channel = UserChannel.open(account, terms.account(), Math.max(CHANNEL_DROPS, cost),
            Math.max(86_400, terms.minSettleDelay()), Optional.empty(), sequence++, FEE_DROPS);
        presented = false;
      }
      Claim claim = channel.pay(cost);
      Optional<String> create = presented ? Optional.empty() : Optional.of(channel.createBlob());
      byte[] id = new byte[16];
      RANDOM.nextBytes(id);
      HubAnswer answer = hub.purchase(new HubRequest(HexFormat.of().formatHex(id), channel.id(), create,
          Optional.of(claim), cid, platform, price, cost - price, token, receiptKey.publicKey()));
      presented = true;
      return "delivered".equals(answer.status());
    } finally {
      buying.unlock();
    }
  }

  @Override
  public String toString() {
    return "demo user " + account.address().value() + " at " + Instant.now();
  }
}
