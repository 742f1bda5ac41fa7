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
import io.fedsearch.federation.payments.channel.XrplTime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xrpl.xrpl4j.codec.binary.XrplBinaryCodec;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;
import org.xrpl.xrpl4j.model.jackson.ObjectMapperFactory;
import org.xrpl.xrpl4j.model.transactions.Address;
import org.xrpl.xrpl4j.model.transactions.Transaction;

/**
 * A LEDGER DOUBLE for tests only (never a default anywhere): an HTTP JSON-RPC server on 127.0.0.1 that models the
 * parts of an XRP Ledger server our payments depend on, so the outbox, the submitter and {@code XrplLedger} can be
 * driven through the faults a real network produces.
 *
 * <p>What it models: accounts with balances, Sequences and an owner count (reserve = base + owner count × increment,
 * 1 XRP + 0.2 XRP unless a test sets {@link #baseReserve} / {@link #ownerReserve}; server_info reports them);
 * PayChannel entries created, funded, claimed and closed by decoded, signature-checked
 * transactions; SettleDelay, Expiration (set by Fund, by the source's tfClose, cleared by tfRenew), CancelAfter, and
 * the rule that any Fund or Claim on a channel past its CancelAfter/Expiration (against the parent ledger's close
 * time) closes it and returns the rest to the source; LastLedgerSequence; a validated ledger index that advances only
 * when the test calls {@link #closeLedger()}; and the result codes: tesSUCCESS; tec* (tecNO_ENTRY, tecNO_TARGET,
 * tecNO_PERMISSION, tecUNFUNDED, tecUNFUNDED_PAYMENT, tecINSUFFICIENT_RESERVE, tecNO_DST), which validate and consume
 * the fee and Sequence; tef* (tefPAST_SEQ, tefALREADY, tefMAX_LEDGER); ter* (terPRE_SEQ, terQUEUED, terNO_ACCOUNT);
 * tem* (temBAD_AMOUNT, temBAD_SIGNATURE, temBAD_SIGNER, temMALFORMED, temDST_IS_SRC, temBAD_EXPIRATION,
 * temUNKNOWN). The channel rules follow rippled's {@code PayChan.cpp} (PayChanCreate/Fund/Claim preflight, preclaim
 * and doApply) and xrpl.org's PaymentChannelClaim/Fund pages.
 *
 * <p>Blobs are decoded with xrpl4j's binary codec; transaction signatures are checked with our
 * {@link ClaimVerifier#verifiesTransaction} (the SigningPubKey must belong to the Account: no regular keys or
 * multi-signing), claim signatures with {@link ClaimVerifier#verifies}. xrpl.js checks the same blobs independently
 * in the tests.
 *
 * <p>Where it is simpler than rippled (on purpose; see also federation/README.md):
 * <ul>
 *   <li>No open ledger: a submission is only checked (preflight, Sequence, fee) and queued; it is applied when the
 *       test closes a ledger, which is also validated at once (no consensus rounds, no forks). The preliminary result
 *       is therefore never a tec.</li>
 *   <li>The queue: a transaction whose fee is below {@link #requiredFee} waits (terQUEUED), as on a busy network; one
 *       whose Sequence is ahead waits too (terQUEUED when the Sequences before it are queued, else terPRE_SEQ). There
 *       is no per-account queue limit and no fee escalation curve.</li>
 *   <li>A bad transaction signature answers engine_result temBAD_SIGNATURE (rippled answers an invalidTransaction
 *       error). Resubmitting a transaction already queued or validated answers tefALREADY.</li>
 *   <li>No destination tags, DepositAuth, DisallowIncomingPayChan, tickets, issued currencies, or account deletion;
 *       the only other transaction type it applies is AccountSet (as a no-op that consumes a Sequence).</li>
 *   <li>{@code tx} searches the validated history the double holds; {@link #forgetHistoryBefore} simulates a server
 *       whose complete_ledgers start later, so a lookup whose range it cannot cover answers txnNotFound with
 *       {@code searched_all: false}.</li>
 * </ul>
 *
 * <p>Faults a test can inject: {@link #dropNextSubmissions} (answered, then lost), {@link #answerAlreadyNext}
 * (queued but answered tefALREADY), {@link #rejectNext} (refused with a tem or tef), {@link #delayMillis} (slow
 * answers), {@link #failNext} (the next transaction of a type validates with a given tec), {@link #stall} (ledgers
 * close but nothing applies, so LastLedgerSequence passes), {@link #forgetHistoryBefore}.
 */
final class LedgerDouble implements AutoCloseable {
  static final long BASE_RESERVE = 1_000_000;
  static final long OWNER_RESERVE = 200_000;
  static final long BASE_FEE = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper XRPL = ObjectMapperFactory.create();

  /** An account root. */
  static final class Account {
    long balance;
    long sequence = 1;
    int owners;
  }

  /** A PayChannel ledger entry. */
  static final class Channel {
    String id;
    String source;
    String destination;
    String publicKey;
    long amount;
    long balance;
    long settleDelay;
    Long cancelAfter;
    Long expiration;
  }

  /** A transaction in a validated ledger. */
  record Validated(String hash, String type, String account, long sequence, long ledger, String result,
      JsonNode tx) {}

  private record Queued(String hash, JsonNode tx) {}

  private final HttpServer server;
  private final Clock clock;
  private final Map<String, Account> accounts = new HashMap<>();
  private final Map<String, Channel> channels = new LinkedHashMap<>();
  private final Map<String, Validated> validated = new LinkedHashMap<>();
  private final List<Queued> queue = new ArrayList<>();
  private final List<String> submittedBlobs = new ArrayList<>();
  private final Map<String, String> failNext = new HashMap<>();
  private final Map<String, String> rejectNext = new HashMap<>();
  private long validatedIndex = 1000;
  private long historyFrom = 1000;
  private long parentCloseTime;
  private long closeTime;
  private int dropSubmissions;
  private int answerAlready;
  private long burned;
  private boolean stalled;
  /** Every JSON-RPC answer waits this long (makes concurrent callers overlap). */
  volatile long delayMillis;
  /** Below this fee a transaction waits in the queue (terQUEUED). */
  volatile long requiredFee = BASE_FEE;
  /** What the fee method reports as open_ledger_fee. */
  volatile long reportedFee = BASE_FEE;
  /** The reserves applied and reported by server_info (validators vote them; a test may set others). */
  volatile long baseReserve = BASE_RESERVE;
  volatile long ownerReserve = OWNER_RESERVE;

  LedgerDouble(Clock clock) throws IOException {
    this.clock = clock;
    this.closeTime = XrplTime.of(clock.instant());
    this.parentCloseTime = closeTime;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", ex -> {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(1 << 20);
      }
      ObjectNode resp = JSON.createObjectNode();
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        JsonNode req = JSON.readTree(body);
        synchronized (this) {
          resp.set("result", handle(req.path("method").asText(), req.path("params").path(0)));
        }
      } catch (RuntimeException e) {
        resp.set("result", error("internal", String.valueOf(e)));
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

  // ---- test controls -------------------------------------------------------------------------------------------

  /** Creates (or tops up) an account with {@code drops}. */
  synchronized void fund(String address, long drops) {
    accounts.computeIfAbsent(address, a -> new Account()).balance += drops;
  }

  /** Submits as rippled's submit method would; returns the engine result. */
  synchronized String submit(String blob) {
    return handleSubmit(blob).path("engine_result").asText();
  }

  /** Closes (and validates) one ledger: applies what can apply, drops what passed its LastLedgerSequence. */
  synchronized void closeLedger() {
    validatedIndex++;
    parentCloseTime = closeTime;
    closeTime = Math.max(closeTime, XrplTime.of(clock.instant()));
    boolean progress = true;
    while (progress && !stalled) {
      progress = false;
      for (Queued q : new ArrayList<>(queue)) {
        Account a = accounts.get(q.tx.path("Account").asText());
        if (a == null || q.tx.path("Sequence").asLong() != a.sequence || fee(q.tx) < requiredFee
            || expired(q.tx)) {
          continue;
        }
        queue.remove(q);
        String result = apply(q.tx, a);
        if (result.startsWith("tes") || result.startsWith("tec")) {
          a.sequence++;
          a.balance -= fee(q.tx);
          burned += fee(q.tx);
          validated.put(q.hash, new Validated(q.hash, q.tx.path("TransactionType").asText(),
              q.tx.path("Account").asText(), q.tx.path("Sequence").asLong(), validatedIndex, result, q.tx));
        }
        progress = true;
      }
    }
    // A transaction whose LastLedgerSequence passed, or whose Sequence was used by another, can never validate.
    queue.removeIf(q -> expired(q.tx) || accounts.get(q.tx.path("Account").asText()) == null
        || q.tx.path("Sequence").asLong() < accounts.get(q.tx.path("Account").asText()).sequence);
  }

  synchronized void closeLedgers(int n) {
    for (int i = 0; i < n; i++) {
      closeLedger();
    }
  }

  /** The next {@code n} submissions are answered as usual and then lost (a server that dropped them). */
  synchronized void dropNextSubmissions(int n) {
    dropSubmissions = n;
  }

  /**
   * The next {@code n} submissions are queued as usual but answered tefALREADY, as by a server that had the same
   * transaction relayed from a peer (or from an earlier submission whose answer was lost) first.
   */
  synchronized void answerAlreadyNext(int n) {
    answerAlready = n;
  }

  /** The next transaction of {@code type} that applies validates with {@code tecCode} instead (fee, Sequence used). */
  synchronized void failNext(String type, String tecCode) {
    failNext.put(type, tecCode);
  }

  /**
   * The next submission of {@code type} is refused at once with {@code code} (a tem or tef: it is not queued and its
   * Sequence stays unused), as by a server whose rules reject it.
   */
  synchronized void rejectNext(String type, String code) {
    rejectNext.put(type, code);
  }

  /** While stalled, ledgers close and validate but no transaction applies. */
  synchronized void stall(boolean on) {
    stalled = on;
  }

  /** The server no longer holds ledgers before {@code index} (online deletion, or a fresh server). */
  synchronized void forgetHistoryBefore(long index) {
    historyFrom = index;
  }

  synchronized long validatedIndex() {
    return validatedIndex;
  }

  synchronized Optional<Channel> channel(String id) {
    return Optional.ofNullable(channels.get(id.toUpperCase(Locale.ROOT)));
  }

  synchronized long balance(String address) {
    Account a = accounts.get(address);
    return a == null ? 0 : a.balance;
  }

  synchronized long sequence(String address) {
    Account a = accounts.get(address);
    return a == null ? 0 : a.sequence;
  }

  /** All XRP the double holds: account balances, what channels still hold, and the fees destroyed. */
  synchronized long totalDrops() {
    long total = burned;
    for (Account a : accounts.values()) {
      total += a.balance;
    }
    for (Channel ch : channels.values()) {
      total += ch.amount - ch.balance;
    }
    return total;
  }

  /** Every channel on the ledger now. */
  synchronized List<Channel> channels() {
    return new ArrayList<>(channels.values());
  }

  /** Every validated transaction, in ledger order. */
  synchronized List<Validated> validated() {
    return new ArrayList<>(validated.values());
  }

  synchronized List<String> submittedBlobs() {
    return new ArrayList<>(submittedBlobs);
  }

  synchronized int queued() {
    return queue.size();
  }

  // ---- JSON-RPC --------------------------------------------------------------------------------------------------

  private JsonNode handle(String method, JsonNode p) {
    switch (method) {
      case "account_info": {
        Account a = accounts.get(p.path("account").asText());
        if (a == null) {
          return error("actNotFound", "Account not found.");
        }
        ObjectNode r = ok().put("validated", true).put("ledger_index", validatedIndex);
        r.putObject("account_data").put("Account", p.path("account").asText()).put("Balance", String.valueOf(a.balance))
            .put("Sequence", a.sequence).put("OwnerCount", a.owners).put("Flags", 0);
        return r;
      }
      case "ledger": {
        ObjectNode r = ok().put("ledger_index", validatedIndex).put("validated", true);
        r.putObject("ledger").put("ledger_index", String.valueOf(validatedIndex)).put("close_time", closeTime)
            .put("closed", true);
        return r;
      }
      case "fee": {
        ObjectNode r = ok().put("ledger_current_index", validatedIndex + 1).put("current_queue_size",
            String.valueOf(queue.size()));
        r.putObject("drops").put("base_fee", String.valueOf(BASE_FEE)).put("open_ledger_fee",
            String.valueOf(reportedFee)).put("median_fee", "5000").put("minimum_fee", String.valueOf(BASE_FEE));
        return r;
      }
      case "server_info": {
        ObjectNode r = ok();
        ObjectNode info = r.putObject("info").put("complete_ledgers", historyFrom + "-" + validatedIndex);
        info.putObject("validated_ledger").put("seq", validatedIndex).put("base_fee_xrp", 0.00001)
            .put("reserve_base_xrp", baseReserve / 1e6).put("reserve_inc_xrp", ownerReserve / 1e6);
        return r;
      }
      case "submit":
        return handleSubmit(p.path("tx_blob").asText());
      case "tx":
        return lookup(p);
      case "ledger_entry": {
        Channel ch = channels.get(p.path("payment_channel").asText().toUpperCase(Locale.ROOT));
        if (ch == null) {
          return error("entryNotFound", "Entry not found.");
        }
        return ok().put("validated", true).put("ledger_index", validatedIndex).put("index", ch.id)
            .set("node", entry(ch));
      }
      case "account_channels": {
        ObjectNode r = ok().put("validated", true).put("account", p.path("account").asText())
            .put("ledger_index", validatedIndex);
        ArrayNode list = r.putArray("channels");
        for (Channel ch : channels.values()) {
          if (ch.source.equals(p.path("account").asText())) {
            ObjectNode o = list.addObject().put("account", ch.source).put("destination_account", ch.destination)
                .put("amount", String.valueOf(ch.amount)).put("balance", String.valueOf(ch.balance))
                .put("channel_id", ch.id).put("public_key_hex", ch.publicKey).put("settle_delay", ch.settleDelay);
            if (ch.cancelAfter != null) {
              o.put("cancel_after", ch.cancelAfter);
            }
            if (ch.expiration != null) {
              o.put("expiration", ch.expiration);
            }
          }
        }
        return r;
      }
      default:
        return error("unknownCmd", "Unknown method.");
    }
  }

  private JsonNode lookup(JsonNode p) {
    String hash = p.path("transaction").asText().toUpperCase(Locale.ROOT);
    Validated v = validated.get(hash);
    if (v != null && v.ledger >= historyFrom) {
      ObjectNode r = ok().put("validated", true).put("hash", hash).put("ledger_index", v.ledger);
      r.putObject("meta").put("TransactionResult", v.result);
      return r;
    }
    for (Queued q : queue) {
      if (q.hash.equals(hash)) {
        return ok().put("validated", false).put("hash", hash);
      }
    }
    ObjectNode e = error("txnNotFound", "Transaction not found.");
    if (p.has("min_ledger") && p.has("max_ledger")) {
      // rippled: searched_all says whether every ledger of [min_ledger, max_ledger] was available and searched
      e.put("searched_all", p.path("min_ledger").asLong() >= historyFrom
          && p.path("max_ledger").asLong() <= validatedIndex);
    }
    return e;
  }

  private JsonNode handleSubmit(String blob) {
    submittedBlobs.add(blob);
    JsonNode tx;
    Transaction typed;
    String hash;
    try {
      String json = XrplBinaryCodec.getInstance().decode(blob);
      tx = JSON.readTree(json);
      hash = SignedTransactions.hash(blob);
      typed = XRPL.readValue(json, Transaction.class);
    } catch (IOException | RuntimeException e) {
      return error("invalidTransaction", "cannot decode: " + e.getMessage());
    }
    ObjectNode answer = ok();
    answer.putObject("tx_json").put("hash", hash);
    return answer.put("engine_result", preliminary(tx, typed, hash));
  }

  private String preliminary(JsonNode tx, Transaction typed, String hash) {
    if (validated.containsKey(hash) || queue.stream().anyMatch(q -> q.hash.equals(hash))) {
      return "tefALREADY";
    }
    if (!typed.signingPublicKey().deriveAddress().equals(typed.account())
        || !ClaimVerifier.verifiesTransaction(typed)) {
      return "temBAD_SIGNATURE";
    }
    String refused = rejectNext.remove(tx.path("TransactionType").asText());
    if (refused != null) {
      return refused;
    }
    String pre = preflight(tx);
    if (pre != null) {
      return pre;
    }
    Account a = accounts.get(tx.path("Account").asText());
    if (a == null) {
      return "terNO_ACCOUNT";
    }
    if (fee(tx) < BASE_FEE) {
      return "telINSUF_FEE_P";
    }
    long seq = tx.path("Sequence").asLong();
    if (seq < a.sequence) {
      return "tefPAST_SEQ";
    }
    if (tx.has("LastLedgerSequence") && tx.path("LastLedgerSequence").asLong() <= validatedIndex) {
      return "tefMAX_LEDGER";
    }
    if (dropSubmissions > 0) {
      dropSubmissions--;
      return seq > a.sequence ? "terPRE_SEQ" : fee(tx) < requiredFee ? "terQUEUED" : "tesSUCCESS";
    }
    queue.add(new Queued(hash, tx));
    if (answerAlready > 0) {
      answerAlready--;
      return "tefALREADY";
    }
    if (seq > a.sequence) {
      for (long s = a.sequence; s < seq; s++) {
        long want = s;
        if (queue.stream().noneMatch(q -> q.tx.path("Account").asText().equals(tx.path("Account").asText())
            && q.tx.path("Sequence").asLong() == want)) {
          return "terPRE_SEQ";
        }
      }
      return "terQUEUED";
    }
    return fee(tx) < requiredFee ? "terQUEUED" : "tesSUCCESS";
  }

  /** rippled's preflight checks of the channel transactions (no ledger state needed). */
  private static String preflight(JsonNode tx) {
    switch (tx.path("TransactionType").asText()) {
      case "PaymentChannelCreate":
        if (drops(tx, "Amount") <= 0) {
          return "temBAD_AMOUNT";
        }
        if (tx.path("Account").asText().equals(tx.path("Destination").asText())) {
          return "temDST_IS_SRC";
        }
        try {
          PublicKey.fromBase16EncodedPublicKey(tx.path("PublicKey").asText());
        } catch (RuntimeException e) {
          return "temMALFORMED";
        }
        return null;
      case "PaymentChannelFund":
        return drops(tx, "Amount") <= 0 ? "temBAD_AMOUNT" : null;
      case "PaymentChannelClaim": {
        long flags = tx.path("Flags").asLong();
        if (tx.has("Balance") && drops(tx, "Balance") <= 0 || tx.has("Amount") && drops(tx, "Amount") <= 0
            || tx.has("Balance") && tx.has("Amount") && drops(tx, "Balance") > drops(tx, "Amount")) {
          return "temBAD_AMOUNT";
        }
        if ((flags & 0x00010000L) != 0 && (flags & 0x00020000L) != 0) {
          return "temMALFORMED";
        }
        if (tx.has("Signature")) {
          if (!tx.has("PublicKey") || !tx.has("Balance")) {
            return "temMALFORMED";
          }
          long auth = tx.has("Amount") ? drops(tx, "Amount") : drops(tx, "Balance");
          try {
            Claim c = new Claim(tx.path("Channel").asText(), auth, tx.path("Signature").asText());
            if (!ClaimVerifier.verifies(c, PublicKey.fromBase16EncodedPublicKey(tx.path("PublicKey").asText()))) {
              return "temBAD_SIGNATURE";
            }
          } catch (RuntimeException e) {
            return "temMALFORMED";
          }
        }
        return null;
      }
      case "AccountSet":
        return null;
      default:
        return "temUNKNOWN";
    }
  }

  /** doApply of the channel transactions, against the parent ledger's close time. */
  private String apply(JsonNode tx, Account a) {
    String type = tx.path("TransactionType").asText();
    String forced = failNext.remove(type);
    if (forced != null) {
      return forced;
    }
    String account = tx.path("Account").asText();
    switch (type) {
      case "AccountSet":
        return "tesSUCCESS";
      case "PaymentChannelCreate": {
        long amount = drops(tx, "Amount");
        long reserve = baseReserve + (a.owners + 1) * ownerReserve;
        if (a.balance - fee(tx) < reserve) {
          return "tecINSUFFICIENT_RESERVE";
        }
        if (a.balance - fee(tx) < reserve + amount) {
          return "tecUNFUNDED";
        }
        if (!accounts.containsKey(tx.path("Destination").asText())) {
          return "tecNO_DST";
        }
        Channel ch = new Channel();
        ch.id = ChannelId.of(Address.of(account), Address.of(tx.path("Destination").asText()),
            tx.path("Sequence").asLong());
        ch.source = account;
        ch.destination = tx.path("Destination").asText();
        ch.publicKey = tx.path("PublicKey").asText().toUpperCase(Locale.ROOT);
        ch.amount = amount;
        ch.settleDelay = tx.path("SettleDelay").asLong();
        ch.cancelAfter = tx.has("CancelAfter") ? tx.path("CancelAfter").asLong() : null;
        channels.put(ch.id, ch);
        a.balance -= amount;
        a.owners++;
        return "tesSUCCESS";
      }
      case "PaymentChannelFund": {
        Channel ch = channels.get(tx.path("Channel").asText().toUpperCase(Locale.ROOT));
        if (ch == null) {
          return "tecNO_ENTRY";
        }
        if (pastExpiry(ch)) {
          close(ch);
          return "tesSUCCESS";
        }
        if (!ch.source.equals(account)) {
          return "tecNO_PERMISSION";
        }
        if (tx.has("Expiration")) {
          long min = parentCloseTime + ch.settleDelay;
          if (ch.expiration != null && ch.expiration < min) {
            min = ch.expiration;
          }
          if (tx.path("Expiration").asLong() < min) {
            return "temBAD_EXPIRATION";
          }
        }
        long amount = drops(tx, "Amount");
        long reserve = baseReserve + a.owners * ownerReserve;
        if (a.balance - fee(tx) < reserve) {
          return "tecINSUFFICIENT_RESERVE";
        }
        if (a.balance - fee(tx) < reserve + amount) {
          return "tecUNFUNDED";
        }
        if (tx.has("Expiration")) { // set only now: a tec leaves the entry as it was (rippled discards changes)
          ch.expiration = tx.path("Expiration").asLong();
        }
        ch.amount += amount;
        a.balance -= amount;
        return "tesSUCCESS";
      }
      case "PaymentChannelClaim": {
        Channel ch = channels.get(tx.path("Channel").asText().toUpperCase(Locale.ROOT));
        if (ch == null) {
          return "tecNO_TARGET";
        }
        if (pastExpiry(ch)) {
          close(ch);
          return "tesSUCCESS";
        }
        if (!account.equals(ch.source) && !account.equals(ch.destination)) {
          return "tecNO_PERMISSION";
        }
        if (tx.has("Balance")) {
          long req = drops(tx, "Balance");
          if (account.equals(ch.destination) && !tx.has("Signature")) {
            return "temBAD_SIGNATURE";
          }
          if (tx.has("Signature") && !tx.path("PublicKey").asText().equalsIgnoreCase(ch.publicKey)) {
            return "temBAD_SIGNER";
          }
          if (req > ch.amount || req <= ch.balance) {
            return "tecUNFUNDED_PAYMENT";
          }
          Account dst = accounts.get(ch.destination);
          if (dst == null) {
            return "tecNO_DST";
          }
          dst.balance += req - ch.balance;
          ch.balance = req;
        }
        long flags = tx.path("Flags").asLong();
        if ((flags & 0x00010000L) != 0) { // tfRenew
          if (!account.equals(ch.source)) {
            return "tecNO_PERMISSION";
          }
          ch.expiration = null;
        }
        if ((flags & 0x00020000L) != 0) { // tfClose
          if (account.equals(ch.destination) || ch.balance == ch.amount) {
            close(ch);
          } else {
            long settle = parentCloseTime + ch.settleDelay;
            if (ch.expiration == null || ch.expiration > settle) {
              ch.expiration = settle;
            }
          }
        }
        return "tesSUCCESS";
      }
      default:
        return "temUNKNOWN";
    }
  }

  private boolean pastExpiry(Channel ch) {
    return ch.cancelAfter != null && parentCloseTime >= ch.cancelAfter
        || ch.expiration != null && parentCloseTime >= ch.expiration;
  }

  private void close(Channel ch) {
    Account src = accounts.get(ch.source);
    src.balance += ch.amount - ch.balance;
    src.owners--;
    channels.remove(ch.id);
  }

  private boolean expired(JsonNode tx) {
    return tx.has("LastLedgerSequence") && tx.path("LastLedgerSequence").asLong() < validatedIndex;
  }

  private ObjectNode entry(Channel ch) {
    ObjectNode o = JSON.createObjectNode().put("LedgerEntryType", "PayChannel").put("Flags", 0)
        .put("Account", ch.source).put("Destination", ch.destination).put("Amount", String.valueOf(ch.amount))
        .put("Balance", String.valueOf(ch.balance)).put("PublicKey", ch.publicKey).put("SettleDelay", ch.settleDelay)
        .put("OwnerNode", "0").put("PreviousTxnID", "0".repeat(64)).put("PreviousTxnLgrSeq", validatedIndex)
        .put("index", ch.id);
    if (ch.cancelAfter != null) {
      o.put("CancelAfter", ch.cancelAfter);
    }
    if (ch.expiration != null) {
      o.put("Expiration", ch.expiration);
    }
    return o;
  }

  private static long fee(JsonNode tx) {
    return Long.parseLong(tx.path("Fee").asText("0"));
  }

  private static long drops(JsonNode tx, String field) {
    JsonNode v = tx.path(field);
    return v.isTextual() ? Long.parseLong(v.asText()) : -1; // an issued-currency amount is an object: not XRP
  }

  private static ObjectNode ok() {
    return JSON.createObjectNode().put("status", "success");
  }

  private static ObjectNode error(String code, String message) {
    return JSON.createObjectNode().put("status", "error").put("error", code).put("error_message", message);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
