package io.fedsearch.federation.payments.ledger;

import io.fedsearch.federation.payments.PaymentsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sends outbox transactions to the ledger and follows them to finality. Each round, for every open row:
 * <ul>
 *   <li>pending: re-sign with fee = max(row fee, server fee) and LastLedgerSequence = validated + window, store the
 *       new blob and hash durably (so a crash after submitting still knows what went out), then submit;</li>
 *   <li>submitted: validated → {@code validated} (tesSUCCESS) or {@code failed} (the tec code); not validated and
 *       the validated ledger passed LastLedgerSequence → it can never apply: back to pending with the fee doubled
 *       (capped), or {@code failed} after {@code maxSubmitAttempts}.</li>
 * </ul>
 * A preliminary tem/tef result fails the row at once, except tefPAST_SEQ for a claim or fund, which is re-signed
 * with a fresh Sequence (a create keeps its Sequence: the channel id depends on it).
 */
public final class Submitter {
  /** What one round did, for logs, the CLI and tests. */
  public record Round(int submitted, int validated, int failed, int escalated, List<String> notes) {}

  private final Outbox outbox;
  private final Ledger ledger;
  private final PaymentsConfig config;

  public Submitter(Outbox outbox, Ledger ledger, PaymentsConfig config) {
    this.outbox = outbox;
    this.ledger = ledger;
    this.config = config;
  }

  public Round runOnce() {
    int submitted = 0;
    int validated = 0;
    int failed = 0;
    int escalated = 0;
    List<String> notes = new ArrayList<>();
    long validatedIndex = ledger.validatedLedgerIndex();
    for (Outbox.Entry e : outbox.open()) {
      if (Outbox.SUBMITTED.equals(e.status())) {
        Optional<String> result = ledger.validatedResult(e.hash());
        if (result.isPresent()) {
          boolean ok = "tesSUCCESS".equals(result.get());
          outbox.db().write(c -> outbox.setStatus(c, e.id(), ok ? Outbox.VALIDATED : Outbox.FAILED, result.get()));
          if (ok) {
            validated++;
          } else {
            failed++;
          }
          notes.add(e.id() + " " + e.kind() + " " + result.get());
          continue;
        }
        if (e.lastLedger() == null || validatedIndex <= e.lastLedger()) {
          continue; // still in flight
        }
        if (e.attempts() >= config.maxSubmitAttempts()) {
          outbox.db().write(c -> outbox.setStatus(c, e.id(), Outbox.FAILED,
              "expired after " + e.attempts() + " submissions (LastLedgerSequence passed)"));
          failed++;
          continue;
        }
        long fee = Math.min(config.maxFeeDrops(), Math.max(e.fee() * 2, e.fee() + 1));
        outbox.db().write(c -> outbox.resign(c, e, fee, e.sequence(), null, Outbox.PENDING, "expired; fee raised"));
        escalated++;
        notes.add(e.id() + " expired at ledger " + e.lastLedger() + "; fee " + e.fee() + " -> " + fee);
        continue;
      }
      long fee = Math.min(config.maxFeeDrops(), Math.max(e.fee(), ledger.feeDrops()));
      long lastLedger = validatedIndex + config.ledgerWindow();
      Outbox.Entry signed = resignAndReload(e, fee, e.sequence(), lastLedger);
      String result = ledger.submit(signed.blob());
      submitted++;
      if (result.startsWith("tem") || (result.startsWith("tef") && !"tefPAST_SEQ".equals(result))
          || "tefPAST_SEQ".equals(result) && "create".equals(e.kind())) {
        outbox.db().write(c -> outbox.setStatus(c, e.id(), Outbox.FAILED, result));
        failed++;
        notes.add(e.id() + " " + e.kind() + " rejected: " + result);
      } else if ("tefPAST_SEQ".equals(result)) {
        long next = ledger.accountSequence(outbox.key().address().value());
        outbox.syncSequence(next);
        outbox.db().write(c -> outbox.resign(c, e, fee, outbox.allocateSequence(c), null, Outbox.PENDING, result));
        notes.add(e.id() + " sequence already used; re-sequenced");
      } else {
        outbox.db().write(c -> outbox.setStatus(c, e.id(), Outbox.SUBMITTED, result));
      }
    }
    return new Round(submitted, validated, failed, escalated, notes);
  }

  private Outbox.Entry resignAndReload(Outbox.Entry e, long fee, long sequence, long lastLedger) {
    outbox.db().write(c -> outbox.resign(c, e, fee, sequence, lastLedger, Outbox.SUBMITTED, null));
    return outbox.list().stream().filter(x -> x.id() == e.id()).findFirst().orElseThrow();
  }
}
