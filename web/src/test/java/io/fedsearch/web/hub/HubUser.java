package io.fedsearch.web.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A user of a hub as the tests play one: an XRPL account key with one channel to the hub ({@link UserChannel}, the
 * signed create and cumulative claims), a receipt key, and the JSON body of {@code POST /api/hub/purchases}.
 */
public final class HubUser {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  public final XrplAccountKey key = XrplAccountKey.generate(KeyType.ED25519);
  public final NodeKey receiptKey = NodeKey.generate();
  public final UserChannel channel;
  public boolean createSent;

  public HubUser(String hubAddress, long drops) {
    this.channel = UserChannel.open(key, hubAddress, drops, 86_400, Optional.empty(), 7, 12);
  }

  public static String requestId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** What a search by {@code servingNode} would hand out with {@code cid}. */
  public static String token(NodeKey servingNode, String cid) {
    return AttributionToken.issue(servingNode, Cid.parse(cid), "kettle", Instant.now().minusSeconds(5),
        Duration.ofHours(1)).encode();
  }

  /**
   * A purchase body: {@code cumulative} is the claim's total (0: no claim), signed by this user; the create rides
   * along until the hub has seen it once.
   */
  public ObjectNode body(String requestId, String cid, String platform, long price, long hubFee, String token,
      long cumulative) {
    ObjectNode b = JSON.createObjectNode().put("request_id", requestId).put("channel", channel.id())
        .put("cid", cid).put("platform", platform).put("price", price).put("hub_fee", hubFee).put("token", token)
        .put("receipt_key", receiptKey.publicKey().hex());
    if (!createSent) {
      b.put("channel_create", channel.createBlob());
    }
    if (cumulative > 0) {
      var claim = channel.claimFor(cumulative);
      b.putObject("claim").put("amount", claim.drops()).put("signature", claim.signature());
    }
    return b;
  }
}
