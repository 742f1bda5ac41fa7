package io.fedsearch.federation.payments.userwallet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * The document of the wallet's XRPL DID ({@code did:xrpl:1:r…}): the per-platform receipt keys the user chose to
 * publish, as compact JSON {@code {"fedsearch":1,"receipt_keys":["<hex>",…]}} in the DIDSet's DIDDocument field.
 * Publishing a key links every receipt under it to the user's account; publishing two links the user's purchases on
 * both platforms. That is the user's choice, never a default: the wallet publishes only the platforms named.
 * The ledger bounds a DIDDocument to {@value #MAX_BYTES} bytes, so at most three keys fit.
 */
public record ReceiptKeyDocument(List<String> receiptKeys) {
  public static final int MAX_BYTES = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  public ReceiptKeyDocument {
    receiptKeys = List.copyOf(receiptKeys);
    if (receiptKeys.isEmpty()) {
      throw new IllegalArgumentException("name at least one platform whose receipt key to publish");
    }
    if (bytes(receiptKeys).length > MAX_BYTES) {
      throw new IllegalArgumentException("a DID document holds at most " + MAX_BYTES + " bytes: "
          + receiptKeys.size() + " receipt keys do not fit");
    }
  }

  /** The document for the receipt keys of {@code platforms}. */
  public static ReceiptKeyDocument forPlatforms(ReceiptKeys keys, List<String> platforms) {
    return new ReceiptKeyDocument(platforms.stream().map(keys::publicKeyHex).toList());
  }

  public String json() {
    return new String(bytes(receiptKeys), StandardCharsets.UTF_8);
  }

  org.xrpl.xrpl4j.model.transactions.DidDocument toLedger() {
    return org.xrpl.xrpl4j.model.transactions.DidDocument.of(HexFormat.of().withUpperCase().formatHex(bytes(receiptKeys)));
  }

  private static byte[] bytes(List<String> keys) {
    ObjectNode o = JSON.createObjectNode().put("fedsearch", 1);
    ArrayNode a = o.putArray("receipt_keys");
    keys.forEach(a::add);
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }
}
