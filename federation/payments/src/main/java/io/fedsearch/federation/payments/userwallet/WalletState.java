package io.fedsearch.federation.payments.userwallet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.fedsearch.core.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the wallet knows besides its key, one JSON file ({@value #FILE}) rewritten atomically and durably
 * ({@link PrivateFiles}) on every change. The money fields only move up: {@code signedMax} is the highest cumulative
 * claim this wallet (or any copy it was imported from) ever signed, and a new claim is signed only above it;
 * {@code authorised}/{@code consumed} are the hub's figures as its signed acks and credit notes last stated them.
 * A purchase is written as {@code pending}, with its claim, before anything is sent, so a crash never loses a signed
 * claim and never makes the wallet sign the same amount again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class WalletState {
  public static final String FILE = "state.json";
  static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public int v = 1;
  public Hub hub;
  public Channel channel;
  /**
   * Floor of the next claim: the highest cumulative amount this wallet, a copy it was imported from, or the hub's
   * statements say was signed over {@link #channel}. A new claim is signed only above it.
   */
  public long signedMax;
  /** The best claim this copy holds a signature for ({@code signatureAmount} drops): re-sent, never re-signed. */
  public long signatureAmount;
  public String signedSignature;
  /** The hub's last signed figures: best claim it holds, value of delivered purchases. Credit = difference. */
  public long authorised;
  public long consumed;
  /** Set by import: the hub may hold a higher claim than this copy knows until its next answer says so. */
  public boolean needsSync;
  /** Next account Sequence for a transaction signed without a ledger to ask (embedded mode). */
  public long nextSequence = 1;
  public Pending pending;
  public List<ReceiptRecord> receipts = new ArrayList<>();
  public List<CreditRecord> creditNotes = new ArrayList<>();
  public List<TxRecord> transactions = new ArrayList<>();
  /** Every claim this wallet signed, in order (the user's own record; each amount above the one before). */
  public List<SignedClaim> claims = new ArrayList<>();

  /** A cumulative claim over {@link #channel}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class SignedClaim {
    public long amount;
    public String signature;
  }

  /** The hub the channel pays into, as {@code GET /api/hub} described it when the channel was opened. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Hub {
    public String url;
    public String account;
    public String peerId;
    public String publicKey;
    public long feeBps;
    public long feeDrops;
  }

  /** The user→hub channel. {@code hubHasCreate} turns true once the hub answered a request that carried the create. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Channel {
    public String id;
    public String destination;
    public long amount;
    public long settleDelay;
    public long sequence;
    public String createBlob;
    public String createHash;
    public boolean onLedger;
    public boolean hubHasCreate;
  }

  /** A purchase sent (or about to be) whose answer the wallet has not recorded yet: the exact request body. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Pending {
    public String requestId;
    public JsonNode body;
    public String at;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class ReceiptRecord {
    public String requestId;
    public String cid;
    public String platform;
    public long price;
    public long hubFee;
    public String receiptKey;
    public String receipt;
    public JsonNode hubAck;
    public String at;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class CreditRecord {
    public String requestId;
    public String cid;
    public String platform;
    public long cost;
    public String reasonCode;
    public String reasonMessage;
    public JsonNode creditNote;
    public String at;
  }

  /** A ledger transaction the wallet signed: kept (no ledger given), submitted, or validated with its result. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class TxRecord {
    public String kind;
    public String hash;
    public String blob;
    public String status;
    /** Drops a fund adds to the channel (0 for other kinds). */
    public long drops;
  }

  /** Unspent value at the hub, as the hub last stated it. */
  public long credit() {
    return Math.max(0, authorised - consumed);
  }

  /** Raises the floor to {@code amount} before it is signed; it must be above every amount signed before. */
  public void reserve(long amount) {
    if (amount <= signedMax) {
      throw new IllegalStateException("refusing to sign " + amount + " drops: " + signedMax + " already signed");
    }
    signedMax = amount;
  }

  /** Records the signature of the amount {@link #reserve}d last (the floor); anything else is refused. */
  public void signed(long amount, String signature) {
    if (amount != signedMax || signatureAmount >= amount) {
      throw new IllegalStateException("refusing to record a claim of " + amount + " drops: it is not the amount"
          + " reserved (" + signedMax + "), or one at or below it was already signed");
    }
    signatureAmount = amount;
    signedSignature = signature;
    SignedClaim c = new SignedClaim();
    c.amount = amount;
    c.signature = signature;
    claims.add(c);
  }

  /** Raises the hub's figures (and the signing floor) to what a hub statement says; never lowers one. */
  public void raiseFromHub(long hubAuthorised, long hubConsumed) {
    authorised = Math.max(authorised, hubAuthorised);
    consumed = Math.max(consumed, hubConsumed);
    signedMax = Math.max(signedMax, hubAuthorised);
  }

  /** Folds another copy's state of the same channel in: every money field takes the higher value. */
  public void mergeFrom(WalletState other) {
    if (other.signatureAmount > signatureAmount) {
      signatureAmount = other.signatureAmount;
      signedSignature = other.signedSignature;
    }
    signedMax = Math.max(signedMax, other.signedMax);
    authorised = Math.max(authorised, other.authorised);
    consumed = Math.max(consumed, other.consumed);
    nextSequence = Math.max(nextSequence, other.nextSequence);
    if (channel == null) {
      channel = other.channel;
      hub = other.hub;
    } else if (other.channel != null && other.channel.hubHasCreate) {
      channel.hubHasCreate = true;
    }
    if (pending == null) {
      pending = other.pending;
    }
    java.util.Set<String> have = new java.util.HashSet<>();
    receipts.forEach(r -> have.add(r.requestId));
    other.receipts.stream().filter(r -> have.add(r.requestId)).forEach(receipts::add);
    creditNotes.forEach(c -> have.add(c.requestId));
    other.creditNotes.stream().filter(c -> have.add(c.requestId)).forEach(creditNotes::add);
    java.util.Set<Long> amounts = new java.util.HashSet<>();
    claims.forEach(c -> amounts.add(c.amount));
    other.claims.stream().filter(c -> amounts.add(c.amount)).forEach(claims::add);
    claims.sort(java.util.Comparator.comparingLong(c -> c.amount));
    java.util.Set<String> txs = new java.util.HashSet<>();
    transactions.forEach(t -> txs.add(t.hash));
    other.transactions.stream().filter(t -> txs.add(t.hash)).forEach(transactions::add);
  }

  public static WalletState load(Path dir) {
    Path f = dir.resolve(FILE);
    if (!Files.exists(f)) {
      return new WalletState();
    }
    try {
      return JSON.readValue(Files.readString(f), WalletState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read wallet state " + f, e);
    }
  }

  /** Writes the whole state durably; returns only once it is on disk. */
  public void save(Path dir) {
    PrivateFiles.writeAtomically(dir.resolve(FILE), toJson());
  }

  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static WalletState fromJson(JsonNode node) {
    try {
      return JSON.treeToValue(node, WalletState.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed wallet state: " + e.getMessage());
    }
  }
}
