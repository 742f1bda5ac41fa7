package io.fedsearch.federation.payments.ledger;

import io.fedsearch.federation.payments.channel.ChannelTerms;
import java.util.List;
import java.util.Optional;

/** What payments need from an XRP Ledger server. {@link XrplLedger} is the rippled implementation. */
public interface Ledger {
  /** The channel as of the last validated ledger, or empty when the ledger has no such channel. */
  Optional<ChannelTerms> channel(String channelId);

  /** Channels whose source is {@code account} (every page). */
  List<ChannelTerms> channelsFrom(String account);

  /** The account's next Sequence on the validated ledger. */
  long accountSequence(String account);

  /** The account's root on the validated ledger: its XRP balance, next Sequence and owned objects. */
  AccountRoot account(String account);

  /** The reserves of the validated ledger (they change by validators' fee voting: never hard-code them). */
  Reserves reserves();

  /** Index of the latest validated ledger. */
  long validatedLedgerIndex();

  /** The fee in drops the server currently recommends for a simple transaction. */
  long feeDrops();

  /** Submits a signed blob; returns the preliminary engine result (e.g. tesSUCCESS, terQUEUED, tefPAST_SEQ). */
  String submit(String blobHex);

  /** The transaction's validated outcome, if it is in a validated ledger. */
  Optional<String> validatedResult(String hash);

  /**
   * What the server knows of transaction {@code hash} over validated ledgers {@code minLedger..maxLedger}: its
   * validated result, {@link TxStatus.State#NOT_FOUND} only when the server searched every ledger of that range
   * (rippled's {@code searched_all}), else {@link TxStatus.State#UNKNOWN}.
   */
  TxStatus transaction(String hash, long minLedger, long maxLedger);

  /** An account as the validated ledger has it. */
  record AccountRoot(long balanceDrops, long sequence, long ownerCount) {}

  /** The account reserve: {@code baseDrops} for the account, {@code incrementDrops} more per owned object. */
  record Reserves(long baseDrops, long incrementDrops) {
    /** What an account owning {@code objects} objects must keep; XRP above it can be spent. */
    public long reserveFor(long objects) {
      return baseDrops + objects * incrementDrops;
    }
  }

  /** The answer of {@link #transaction}. {@code result} is the TransactionResult when validated, else null. */
  record TxStatus(State state, String result) {
    public enum State { VALIDATED, NOT_FOUND, UNKNOWN }

    public static final TxStatus NOT_FOUND = new TxStatus(State.NOT_FOUND, null);
    public static final TxStatus UNKNOWN = new TxStatus(State.UNKNOWN, null);
  }
}
