package io.fedsearch.federation.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.fedsearch.federation.payments.channel.ChannelId;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.ClaimVerifier;
import io.fedsearch.federation.payments.channel.SignedTransactions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xrpl.xrpl4j.codec.binary.XrplBinaryCodec;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;
import org.xrpl.xrpl4j.model.transactions.Address;

/**
 * A TEST DOUBLE of rippled's JSON-RPC, for tests only (never a default anywhere): an HTTP server on 127.0.0.1 that
 * answers the calls payments make (account_info, ledger, fee, submit, tx, ledger_entry, account_channels) from an
 * in-memory model of accounts and channels. Submitted transactions wait in a queue until the test closes a ledger;
 * one applies only with the account's next Sequence and a fee of at least {@link #requiredFee} (a lower fee stays
 * queued, as on a busy network, so LastLedgerSequence expiry and fee escalation can be tested). It checks claim
 * signatures with our verifier (xrpl.js checks them independently in the tests) and is not a ledger implementation.
 */
final class RippledTestDouble implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final HttpServer server;
  long validatedIndex = 1000;
  long requiredFee = 10;
  long reportedFee = 10;
  final Map<String, Long> sequences = new HashMap<>();
  final Map<String, ObjectNode> channels = new LinkedHashMap<>();
  final Map<String, String> results = new HashMap<>(); // hash -> TransactionResult of validated txs
  final List<JsonNode> queue = new ArrayList<>();
  final List<String> submittedBlobs = new ArrayList<>();

  RippledTestDouble() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", ex -> {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(1 << 20);
      }
      ObjectNode resp = JSON.createObjectNode();
      try {
        JsonNode req = JSON.readTree(body);
        JsonNode params = req.path("params").path(0);
        synchronized (this) {
          resp.set("result", handle(req.path("method").asText(), params));
        }
      } catch (RuntimeException e) {
        ObjectNode r = JSON.createObjectNode().put("status", "error").put("error", "internal")
            .put("error_message", String.valueOf(e));
        resp.set("result", r);
      }
      byte[] out = JSON.writeValueAsBytes(resp);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private ObjectNode ok() {
    return JSON.createObjectNode().put("status", "success");
  }

  private ObjectNode error(String code) {
    return JSON.createObjectNode().put("status", "error").put("error", code).put("error_message", code);
  }

  private JsonNode handle(String method, JsonNode p) {
    switch (method) {
      case "account_info": {
        ObjectNode r = ok().put("validated", true);
        r.putObject("account_data").put("Account", p.path("account").asText())
            .put("Sequence", sequences.getOrDefault(p.path("account").asText(), 1L)).put("Balance", "100000000000");
        return r;
      }
      case "server_info": { // mainnet's reserves (1 XRP + 0.2 XRP per owned object); LedgerDouble lets tests set them
        ObjectNode r = ok();
        r.putObject("info").put("complete_ledgers", "1-" + validatedIndex).putObject("validated_ledger")
            .put("seq", validatedIndex).put("base_fee_xrp", 0.00001).put("reserve_base_xrp", 1.0)
            .put("reserve_inc_xrp", 0.2);
        return r;
      }
      case "ledger": {
        ObjectNode r = ok().put("ledger_index", validatedIndex).put("validated", true);
        r.putObject("ledger").put("ledger_index", String.valueOf(validatedIndex));
        return r;
      }
      case "fee": {
        ObjectNode r = ok();
        r.putObject("drops").put("base_fee", "10").put("open_ledger_fee", String.valueOf(reportedFee))
            .put("median_fee", "5000").put("minimum_fee", "10");
        return r;
      }
      case "submit":
        return handleSubmit(p.path("tx_blob").asText());
      case "tx": {
        String hash = p.path("transaction").asText();
        String result = results.get(hash);
        if (result == null) {
          // as rippled: whether every ledger of [min_ledger, max_ledger] was searched (all up to the validated one)
          return p.has("max_ledger") ? error("txnNotFound").put("searched_all",
              p.path("max_ledger").asLong() <= validatedIndex) : error("txnNotFound");
        }
        ObjectNode r = ok().put("validated", true).put("hash", hash);
        r.putObject("meta").put("TransactionResult", result);
        return r;
      }
      case "ledger_entry": {
        ObjectNode ch = channels.get(p.path("payment_channel").asText().toUpperCase());
        if (ch == null) {
          return error("entryNotFound");
        }
        ObjectNode r = ok().put("validated", true).put("ledger_index", validatedIndex)
            .put("index", ch.path("index").asText());
        r.set("node", ch);
        return r;
      }
      case "account_channels": {
        ObjectNode r = ok().put("validated", true).put("account", p.path("account").asText())
            .put("ledger_index", validatedIndex);
        ArrayNode list = r.putArray("channels");
        for (ObjectNode ch : channels.values()) {
          if (ch.path("Account").asText().equals(p.path("account").asText())) {
            list.addObject().put("account", ch.path("Account").asText())
                .put("destination_account", ch.path("Destination").asText())
                .put("amount", ch.path("Amount").asText()).put("balance", ch.path("Balance").asText())
                .put("channel_id", ch.path("index").asText()).put("public_key_hex", ch.path("PublicKey").asText())
                .put("settle_delay", ch.path("SettleDelay").asLong());
          }
        }
        return r;
      }
      default:
        return error("unknownCmd");
    }
  }

  /** Takes a signed blob as rippled's submit would (tests also use it to put a user's create on the ledger). */
  JsonNode handleSubmit(String blob) {
    submittedBlobs.add(blob);
    JsonNode tx;
    try {
      tx = JSON.readTree(XrplBinaryCodec.getInstance().decode(blob));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ((ObjectNode) tx).put("hash", SignedTransactions.hash(blob));
    long seq = tx.path("Sequence").asLong();
    long next = sequences.getOrDefault(tx.path("Account").asText(), 1L);
    if (seq < next) {
      return ok().put("engine_result", "tefPAST_SEQ");
    }
    queue.add(tx);
    return ok().put("engine_result", Long.parseLong(tx.path("Fee").asText()) >= requiredFee
        ? "tesSUCCESS" : "terQUEUED");
  }

  /**
   * Puts a user's signed transaction on the ledger as if the user had submitted it themselves: the account's next
   * Sequence becomes the blob's, and a ledger closes. Returns the validated result.
   */
  synchronized String validate(String blob) {
    JsonNode tx;
    try {
      tx = JSON.readTree(XrplBinaryCodec.getInstance().decode(blob));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    sequences.putIfAbsent(tx.path("Account").asText(), tx.path("Sequence").asLong());
    handleSubmit(blob);
    closeLedger();
    return results.get(SignedTransactions.hash(blob));
  }

  /** Closes a ledger: applies queued transactions that can apply, drops those past their LastLedgerSequence. */
  synchronized void closeLedger() {
    validatedIndex++;
    List<JsonNode> keep = new ArrayList<>();
    for (JsonNode tx : queue) {
      String account = tx.path("Account").asText();
      long next = sequences.getOrDefault(account, 1L);
      boolean expired = tx.has("LastLedgerSequence") && tx.path("LastLedgerSequence").asLong() < validatedIndex;
      if (expired || tx.path("Sequence").asLong() < next) {
        continue;
      }
      if (tx.path("Sequence").asLong() > next || Long.parseLong(tx.path("Fee").asText()) < requiredFee) {
        keep.add(tx);
        continue;
      }
      sequences.put(account, next + 1);
      results.put(tx.path("hash").asText(), apply(tx));
    }
    queue.clear();
    queue.addAll(keep);
  }

  private String apply(JsonNode tx) {
    String account = tx.path("Account").asText();
    switch (tx.path("TransactionType").asText()) {
      case "PaymentChannelCreate": {
        String id = ChannelId.of(Address.of(account), Address.of(tx.path("Destination").asText()),
            tx.path("Sequence").asLong());
        ObjectNode ch = JSON.createObjectNode().put("LedgerEntryType", "PayChannel").put("Flags", 0)
            .put("Account", account).put("Destination", tx.path("Destination").asText())
            .put("Amount", tx.path("Amount").asText()).put("Balance", "0")
            .put("PublicKey", tx.path("PublicKey").asText()).put("SettleDelay", tx.path("SettleDelay").asLong())
            .put("OwnerNode", "0").put("PreviousTxnID", tx.path("hash").asText())
            .put("PreviousTxnLgrSeq", validatedIndex).put("index", id);
        if (tx.has("CancelAfter")) {
          ch.put("CancelAfter", tx.path("CancelAfter").asLong());
        }
        channels.put(id, ch);
        return "tesSUCCESS";
      }
      case "PaymentChannelFund": {
        ObjectNode ch = channels.get(tx.path("Channel").asText());
        if (ch == null || !ch.path("Account").asText().equals(account)) {
          return "tecNO_PERMISSION";
        }
        ch.put("Amount", String.valueOf(ch.path("Amount").asLong() + Long.parseLong(tx.path("Amount").asText())));
        return "tesSUCCESS";
      }
      case "PaymentChannelClaim": {
        ObjectNode ch = channels.get(tx.path("Channel").asText());
        if (ch == null) {
          return "tecNO_TARGET";
        }
        if (!tx.has("Balance")) {
          return "tesSUCCESS";
        }
        long balance = Long.parseLong(tx.path("Balance").asText());
        if (balance > ch.path("Amount").asLong()) {
          return "tecUNFUNDED_PAYMENT";
        }
        if (balance <= ch.path("Balance").asLong()) {
          return "tecUNFUNDED_PAYMENT";
        }
        Claim c = new Claim(tx.path("Channel").asText(), Long.parseLong(tx.path("Amount").asText()),
            tx.path("Signature").asText());
        if (!ClaimVerifier.verifies(c, PublicKey.fromBase16EncodedPublicKey(ch.path("PublicKey").asText()))) {
          return "temBAD_SIGNATURE";
        }
        ch.put("Balance", String.valueOf(balance));
        return "tesSUCCESS";
      }
      default:
        return "temUNKNOWN";
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
