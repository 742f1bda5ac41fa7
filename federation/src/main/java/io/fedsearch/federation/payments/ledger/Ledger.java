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

  /** Index of the latest validated ledger. */
  long validatedLedgerIndex();

  /** The fee in drops the server currently recommends for a simple transaction. */
  long feeDrops();

  /** Submits a signed blob; returns the preliminary engine result (e.g. tesSUCCESS, terQUEUED, tefPAST_SEQ). */
  String submit(String blobHex);

  /** The transaction's validated outcome, if it is in a validated ledger. */
  Optional<String> validatedResult(String hash);
}
