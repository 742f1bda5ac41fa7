package io.fedsearch.federation.payments.ledger;

import io.fedsearch.federation.payments.PaymentsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends outbox transactions to the ledger and follows them to finality, after XRPL's "reliable transaction
 * submission". One round at a time: the node's timer and an operator's {@code POST /api/outbox/submit} (or the CLI's
 * {@code outbox submit} in another process on the same node directory) queue behind each other on an in-process lock
 * and a file lock beside {@code payments.db}, so two rounds never sign the same row twice. Each round:
 * <ul>
 *   <li>submitted rows: every blob of the row that went out is looked up over its ledger range. One validated → the
 *       row is final ({@code validated} on tesSUCCESS, {@code failed} on a tec, which still used the Sequence).
 *       "Not found" counts only when the server searched every ledger up to LastLedgerSequence (or the blob's
 *       Sequence is still unused on a validated ledger past it); while any blob's outcome is unknown the row waits, and it is never re-signed, so a transaction that validated is never
 *       applied a second time. Once every blob is known never to validate: back to pending with the fee doubled
 *       (capped) and the same Sequence, or {@code failed} after {@code maxSubmitAttempts};</li>
 *   <li>Sequence gaps: a Sequence between the ledger's next one and our highest open row that no open row holds
 *       (its transaction failed without using it, or was never stored) gets a no-op AccountSet, so the rows after it
 *       do not wait on terPRE_SEQ for ever;</li>
 *   <li>pending rows, lowest Sequence first: re-signed with fee = max(row fee, server fee) and LastLedgerSequence =
 *       validated + window; the new blob, hash and ledger range are stored durably before the blob is sent (a crash
 *       after sending still knows what went out). tesSUCCESS, ter* and tefALREADY (the server already has it) leave
 *       the row submitted; tefPAST_SEQ (another transaction used the Sequence) re-sequences a claim, fund or close (a
 *       create fails: its channel id depends on the Sequence); tefMAX_LEDGER and tel* send it again next round; any
 *       other tem/tef fails it (its Sequence is then filled as a gap).</li>
 * </ul>
 */
public final class Submitter {
  /** What one round did, for logs, the CLI and tests. */
  public record Round(int submitted, int validated, int failed, int escalated, List<String> notes) {}

  /** Most no-op rows one round adds (a wider gap means something else is wrong: say so, fill it over rounds). */
  static final int MAX_FILL = 64;

  private final Outbox outbox;
  private final Ledger ledger;
  private final PaymentsConfig config;
  private final ReentrantLock oneAtATime = new ReentrantLock();
  private final Path lockFile;

  public Submitter(Outbox outbox, Ledger ledger, PaymentsConfig config) {
    this.outbox = outbox;
    this.ledger = ledger;
    this.config = config;
    Path db = outbox.db().file();
    this.lockFile = db.resolveSibling(db.getFileName() + ".submitter.lock");
  }

  /** Runs one round; waits while another round (in this process or another on the same node) runs. */
  public Round runOnce() {
    oneAtATime.lock();
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      return round();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + lockFile, e);
    } finally {
      oneAtATime.unlock();
    }
  }

  private Round round() {
    Counts n = new Counts();
    long validatedIndex = ledger.validatedLedgerIndex();
    long ledgerNext = ledger.accountSequence(outbox.key().address().value());
    outbox.syncSequence(ledgerNext);
    for (Outbox.Entry e : outbox.open()) {
      if (Outbox.SUBMITTED.equals(e.status())) {
        follow(e, validatedIndex, ledgerNext, n);
      }
    }
    fillGaps(ledgerNext, n);
    List<Outbox.Entry> pending = new ArrayList<>(outbox.open().stream()
        .filter(e -> Outbox.PENDING.equals(e.status())).toList());
    pending.sort(Comparator.comparingLong(Outbox.Entry::sequence).thenComparingLong(Outbox.Entry::id));
    for (Outbox.Entry e : pending) {
      send(e, validatedIndex, n);
    }
    return new Round(n.submitted, n.validated, n.failed, n.escalated, n.notes);
  }

  /** A submitted row: final if one of its blobs validated; back to pending once none of them ever can. */
  private void follow(Outbox.Entry e, long validatedIndex, long ledgerNext, Counts n) {
    boolean unknown = false;
    for (Submissions.Submission s : Submissions.unresolved(outbox.db(), e.id())) {
      Ledger.TxStatus st = ledger.transaction(s.hash(), s.firstLedger(), s.lastLedger());
      if (st.state() == Ledger.TxStatus.State.VALIDATED) {
        boolean ok = "tesSUCCESS".equals(st.result());
        outbox.db().write(c -> {
          Submissions.setOutcome(c, s.hash(), st.result());
          outbox.setStatus(c, e.id(), ok ? Outbox.VALIDATED : Outbox.FAILED, st.result());
        });
        if (ok) {
          n.validated++;
        } else {
          n.failed++;
        }
        n.notes.add(e.id() + " " + e.kind() + " " + st.result());
        return;
      }
      // Final "not found": the server searched the whole range up to LastLedgerSequence, or (when it cannot, e.g. it
      // lacks those ledgers) the blob's Sequence is still unused on a validated ledger past LastLedgerSequence, so
      // it did not validate and never can.
      if (validatedIndex >= s.lastLedger()
          && (st.state() == Ledger.TxStatus.State.NOT_FOUND || ledgerNext <= s.sequence())) {
        outbox.db().write(c -> Submissions.setOutcome(c, s.hash(), "missed"));
        continue;
      }
      if (validatedIndex >= s.lastLedger()) {
        n.notes.add(e.id() + " " + s.hash() + ": the server cannot say whether it validated in ledgers "
            + s.firstLedger() + "-" + s.lastLedger() + "; waiting");
      }
      unknown = true; // still in flight, or the server has not searched the whole range: never conclude "failed"
    }
    if (unknown) {
      return;
    }
    if (e.attempts() >= config.maxSubmitAttempts()) {
      outbox.db().write(c -> outbox.setStatus(c, e.id(), Outbox.FAILED,
          "expired after " + e.attempts() + " submissions (LastLedgerSequence passed)"));
      n.failed++;
      n.notes.add(e.id() + " " + e.kind() + " gave up after " + e.attempts() + " submissions");
      return;
    }
    long fee = Math.min(config.maxFeeDrops(), Math.max(e.fee() * 2, e.fee() + 1));
    outbox.db().write(c -> outbox.resign(c, e, fee, e.sequence(), null, Outbox.PENDING, "expired; fee raised"));
    n.escalated++;
    n.notes.add(e.id() + " expired at ledger " + e.lastLedger() + "; fee " + e.fee() + " -> " + fee);
  }

  /** Gives every unheld Sequence between the ledger's next one and our highest open row a no-op AccountSet. */
  private void fillGaps(long ledgerNext, Counts n) {
    List<Outbox.Entry> open = outbox.open();
    Set<Long> held = new HashSet<>();
    long highest = -1;
    for (Outbox.Entry e : open) {
      held.add(e.sequence());
      highest = Math.max(highest, e.sequence());
    }
    List<Long> gaps = new ArrayList<>();
    for (long s = ledgerNext; s < highest && gaps.size() < MAX_FILL; s++) {
      if (!held.contains(s)) {
        gaps.add(s);
      }
    }
    if (gaps.isEmpty()) {
      return;
    }
    outbox.db().write(c -> {
      for (long s : gaps) {
        outbox.enqueueNoop(c, s);
      }
    });
    n.notes.add("Sequence gap " + gaps + " filled with no-op AccountSet");
  }

  private void send(Outbox.Entry e, long validatedIndex, Counts n) {
    long fee = Math.min(config.maxFeeDrops(), Math.max(e.fee(), ledger.feeDrops()));
    long lastLedger = validatedIndex + config.ledgerWindow();
    Outbox.Entry signed = resignAndReload(e, fee, lastLedger, validatedIndex + 1);
    String result;
    try {
      result = ledger.submit(signed.blob());
    } catch (RuntimeException ex) {
      // the server may or may not have it: the row stays submitted and is followed by its hash like any other
      n.notes.add(e.id() + " submit failed (" + ex.getMessage() + "); following its hash");
      return;
    }
    n.submitted++;
    if (result.startsWith("tes") || result.startsWith("ter") || "tefALREADY".equals(result)) {
      outbox.db().write(c -> outbox.setStatus(c, e.id(), Outbox.SUBMITTED, result));
      return;
    }
    // every other answer means this blob was not queued and never validates
    outbox.db().write(c -> Submissions.setOutcome(c, signed.hash(), "refused " + result));
    if ("tefPAST_SEQ".equals(result)) {
      if ("create".equals(e.kind()) || Outbox.NOOP.equals(e.kind())) {
        // a create's channel id depends on its Sequence; a no-op is not needed once the Sequence is used
        outbox.db().write(c -> outbox.setStatus(c, e.id(), Outbox.FAILED, result));
        n.failed++;
        n.notes.add(e.id() + " " + e.kind() + " rejected: " + result);
        return;
      }
      outbox.syncSequence(ledger.accountSequence(outbox.key().address().value()));
      outbox.db().write(c -> outbox.resign(c, e, fee, outbox.allocateSequence(c), null, Outbox.PENDING, result));
      n.notes.add(e.id() + " sequence already used; re-sequenced");
    } else if ("tefMAX_LEDGER".equals(result) || result.startsWith("tel")) {
      long raised = result.startsWith("telINSUF_FEE") ? Math.min(config.maxFeeDrops(), fee * 2) : fee;
      outbox.db().write(c -> outbox.resign(c, e, raised, e.sequence(), null, Outbox.PENDING, result));
      n.notes.add(e.id() + " " + result + "; sent again next round");
    } else {
      outbox.db().write(c -> outbox.setStatus(c, e.id(), Outbox.FAILED, result));
      n.failed++;
      n.notes.add(e.id() + " " + e.kind() + " rejected: " + result);
    }
  }

  /** Re-signs the row for this submission and stores it, with the blob's ledger range, before anything is sent. */
  private Outbox.Entry resignAndReload(Outbox.Entry e, long fee, long lastLedger, long firstLedger) {
    outbox.db().write(c -> {
      outbox.resign(c, e, fee, e.sequence(), lastLedger, Outbox.SUBMITTED, null);
      Outbox.Entry now = outbox.entry(c, e.id());
      Submissions.record(c, e.id(), now.hash(), now.sequence(), firstLedger, lastLedger);
    });
    return outbox.list().stream().filter(x -> x.id() == e.id()).findFirst().orElseThrow();
  }

  private static final class Counts {
    int submitted;
    int validated;
    int failed;
    int escalated;
    final List<String> notes = new ArrayList<>();
  }
}
