package io.fedsearch.federation.payments.hub;

import io.fedsearch.indexer.cid.DagCbor;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.indexer.identity.NodePublicKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a hub signs for a user about one forwarded purchase: an {@link Kind#ACK} (delivered: the platform's receipt
 * came back) or a {@link Kind#CREDIT_NOTE} (the platform refused or could not be reached: the cost stays with the
 * user as credit). Either states the user channel's account at that moment: {@code authorised} (the best claim the
 * hub holds), {@code consumed} (costs of delivered purchases), {@code credit = authorised − consumed}. Because claims
 * are cumulative, the latest statement bounds what the hub may keep: a hub that settles more than the consumed of
 * its latest ack, with no receipts to show for the difference, is caught by the user's statements.
 *
 * <p>Signed bytes: the kind's domain ({@code "fedsearch-hub-ack-v1:"} or {@code "fedsearch-credit-note-v1:"}) ‖
 * canonical DAG-CBOR of {@code {request_id, channel, authorised, consumed, credit, cid, platform, cost, at}} (text:
 * request_id, channel (upper-case hex), cid, platform (peer id); integers: the rest, {@code at} in epoch
 * milliseconds), Ed25519 by the hub's node key ({@code public_key}); any DAG-CBOR encoder reproduces them.
 */
public record HubStatement(Kind kind, String requestId, String channel, long authorised, long consumed, String cid,
    String platform, long cost, Instant at, NodePublicKey publicKey, byte[] signature) {

  /** Delivered, or credited. */
  public enum Kind {
    ACK("fedsearch-hub-ack-v1:"),
    CREDIT_NOTE("fedsearch-credit-note-v1:");

    private final byte[] domain;

    Kind(String domain) {
      this.domain = domain.getBytes(StandardCharsets.US_ASCII);
    }
  }

  public HubStatement {
    signature = signature.clone();
  }

  public long credit() {
    return authorised - consumed;
  }

  static HubStatement sign(NodeKey hub, Kind kind, String requestId, String channel, long authorised, long consumed,
      String cid, String platform, long cost, Instant at) {
    Instant ms = Instant.ofEpochMilli(at.toEpochMilli());
    HubStatement unsigned = new HubStatement(kind, requestId, channel, authorised, consumed, cid, platform, cost, ms,
        hub.publicKey(), new byte[0]);
    return new HubStatement(kind, requestId, channel, authorised, consumed, cid, platform, cost, ms, hub.publicKey(),
        hub.sign(unsigned.signingBytes()));
  }

  private Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("request_id", requestId);
    m.put("channel", channel);
    m.put("authorised", authorised);
    m.put("consumed", consumed);
    m.put("credit", credit());
    m.put("cid", cid);
    m.put("platform", platform);
    m.put("cost", cost);
    m.put("at", at.toEpochMilli());
    return m;
  }

  byte[] signingBytes() {
    byte[] body = DagCbor.encode(fields());
    byte[] out = Arrays.copyOf(kind.domain, kind.domain.length + body.length);
    System.arraycopy(body, 0, out, kind.domain.length, body.length);
    return out;
  }

  /** True when {@code signature} is {@code publicKey}'s over the fields (a wallet also checks the key is its hub's). */
  public boolean verify() {
    return publicKey.verifies(signingBytes(), signature);
  }

  /** The JSON form (as a map for any JSON writer): the fields plus kind, signature and public_key, hex. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind == Kind.ACK ? "hub_ack" : "credit_note");
    m.putAll(fields());
    m.put("signature", HexFormat.of().formatHex(signature));
    m.put("public_key", publicKey.hex());
    return m;
  }

  /** Reads the JSON form (as a map); does not verify (call {@link #verify()}). */
  public static HubStatement fromMap(Map<?, ?> m) {
    try {
      Kind kind = switch (String.valueOf(m.get("kind"))) {
        case "hub_ack" -> Kind.ACK;
        case "credit_note" -> Kind.CREDIT_NOTE;
        default -> throw new IllegalArgumentException("kind: hub_ack or credit_note");
      };
      HubStatement s = new HubStatement(kind, (String) m.get("request_id"), (String) m.get("channel"),
          number(m.get("authorised")), number(m.get("consumed")), (String) m.get("cid"), (String) m.get("platform"),
          number(m.get("cost")), Instant.ofEpochMilli(number(m.get("at"))),
          NodePublicKey.fromHex((String) m.get("public_key")), HexFormat.of().parseHex((String) m.get("signature")));
      if (s.credit() != number(m.get("credit"))) {
        throw new IllegalArgumentException("credit must be authorised - consumed");
      }
      return s;
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("hub statement has missing or mistyped fields");
    }
  }

  private static long number(Object o) {
    return ((Number) o).longValue();
  }
}
