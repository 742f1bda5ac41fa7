package io.fedsearch.federation.payments.netting;

import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.PayoutWire;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A node's side of multilateral netting, answering a coordinator over the payout protocol:
 * <ul>
 *   <li>{@code netting_debts_request} → {@code netting_debts}: what this node owes, signed — the only way a
 *       coordinator learns debts (nobody declares what others owe it);</li>
 *   <li>{@code netting_cycle_sign} → {@code netting_cycle_signature}: checks the statement (addressed by its own
 *       coordinator, fresh, this node a party, a nonce never seen, no earlier cycle of that coordinator still
 *       undecided here), pledges its own debt in the cycle durably (see {@link CycleJournal}), then signs; or
 *       {@code netting_cycle_refused} with a reason it can act on;</li>
 *   <li>{@code netting_cycle_commit} → {@code netting_cycle_done}: records a statement only with every party's
 *       signature verified — from then on it is final here; answered again, unchanged, when repeated;</li>
 *   <li>{@code netting_cycle_abort} → {@code netting_cycle_aborted}: gives a pledge back (from the coordinator
 *       only), and remembers the nonce so a sign request still on its way cannot pledge again;</li>
 *   <li>{@code netting_cycle_status} → {@code netting_cycle_decision}: as coordinator, tells a party what became
 *       of a cycle it signed, so a party in doubt need not wait for the coordinator's next round.</li>
 * </ul>
 */
public final class CycleParty {
  /** Most debts one declaration lists (the largest): bounds the message and the coordinator's graph. */
  public static final int MAX_DECLARED = 128;

  private final NodeKey me;
  private final FeeBook fees;
  private final CycleJournal journal;
  /** One state change at a time: a pledge, a record and an abort of the same nonce must not interleave. */
  private final ReentrantLock lock = new ReentrantLock();

  public CycleParty(NodeKey me, FeeBook fees, PaymentsDb db) {
    this.me = me;
    this.fees = fees;
    this.journal = new CycleJournal(db);
  }

  /** Handles one of the four requests (the {@link io.fedsearch.federation.payments.payout.PayoutReceiver} calls). */
  public byte[] handle(PayoutWire.Envelope env, Instant now) {
    lock.lock();
    try {
      return switch (env.type()) {
        case "netting_debts_request" -> declare(env, now);
        case "netting_cycle_sign" -> sign(env, now);
        case "netting_cycle_commit" -> commit(env, now);
        case "netting_cycle_abort" -> abort(env, now);
        case "netting_cycle_status" -> status(env, now);
        default -> throw new IllegalArgumentException("not a netting-cycle message: " + env.type());
      };
    } finally {
      lock.unlock();
    }
  }

  /** This node's own debts, largest first, at most {@link #MAX_DECLARED}; held nodes left out. */
  public List<Map.Entry<String, Long>> debts() {
    List<Map.Entry<String, Long>> out = new ArrayList<>();
    for (FeeBook.Owed o : fees.all()) {
      if (o.due() > 0 && o.heldReason().isEmpty()) {
        out.add(Map.entry(o.node().hex(), o.due()));
      }
    }
    out.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
    return out.subList(0, Math.min(MAX_DECLARED, out.size()));
  }

  private byte[] declare(PayoutWire.Envelope env, Instant now) {
    Map<String, Object> b = PayoutWire.body("netting_debts", me.publicKey(), env.from(), now);
    List<Object> owes = new ArrayList<>();
    for (Map.Entry<String, Long> d : debts()) {
      owes.add(List.of(NodePublicKey.fromHex(d.getKey()).bytes(), d.getValue()));
    }
    b.put("owes", owes);
    return PayoutWire.seal(me, b);
  }

  private byte[] sign(PayoutWire.Envelope env, Instant now) {
    CycleStatement st = CycleStatement.fromBody(env.body().get("statement"));
    if (!env.from().equals(st.coordinator())) {
      return refuse(env, st.nonce(), now, "only the statement's coordinator asks for signatures");
    }
    if (st.coordinator().equals(me.publicKey()) || !st.parties().contains(me.publicKey())) {
      return refuse(env, st.nonce(), now, "this node is not a non-coordinating party of the cycle");
    }
    Optional<CycleJournal.Row> seen = journal.find(st.nonceText());
    if (seen.isPresent()) {
      CycleJournal.Row r = seen.get();
      if (!Arrays.equals(r.statement().encoded(), st.encoded())) {
        return refuse(env, st.nonce(), now, "nonce already used for another statement");
      }
      if ("aborted".equals(r.state())) {
        return refuse(env, st.nonce(), now, "the cycle was aborted: propose a new one");
      }
      return signature(env, st, now); // the coordinator lost our answer: the same signature again
    }
    if (Math.abs(st.at() - now.toEpochMilli()) > PayoutWire.MAX_SKEW.toMillis()) {
      return refuse(env, st.nonce(), now, "statement of " + Instant.ofEpochMilli(st.at()) + " is more than "
          + PayoutWire.MAX_SKEW + " from our time: propose again");
    }
    Optional<String> undecided = journal.undecidedFrom(st.coordinator().hex());
    if (undecided.isPresent()) {
      // What a coordinator that stops answering can hold here is one cycle's pledge, not one per request it sends.
      return refuse(env, st.nonce(), now, "an earlier cycle from this coordinator (nonce " + undecided.get()
          + ") is still undecided here: send its commit or abort first");
    }
    try {
      journal.pledge(st, st.creditorOf(me.publicKey()).hex(), st.debtorOf(me.publicKey()).hex(), now);
    } catch (CycleJournal.Shortfall e) {
      return refuse(env, st.nonce(), now, e.getMessage());
    }
    return signature(env, st, now);
  }

  private byte[] signature(PayoutWire.Envelope env, CycleStatement st, Instant now) {
    Map<String, Object> b = PayoutWire.body("netting_cycle_signature", me.publicKey(), env.from(), now);
    b.put("nonce", st.nonce());
    b.put("signature", me.sign(st.signingBytes()));
    return PayoutWire.seal(me, b);
  }

  private byte[] commit(PayoutWire.Envelope env, Instant now) {
    CycleStatement st = CycleStatement.fromBody(env.body().get("statement"));
    List<byte[]> sigs = CycleStatement.signaturesFrom(env.body().get("signatures"));
    if (!st.parties().contains(me.publicKey()) || !st.parties().contains(env.from())) {
      throw new IllegalArgumentException("a cycle commit goes between parties of the cycle");
    }
    st.verifyAll(sigs); // our own signature among them: we did sign this very statement
    Optional<CycleJournal.Row> seen = journal.find(st.nonceText());
    if (seen.isPresent() && !Arrays.equals(seen.get().statement().encoded(), st.encoded())) {
      throw new IllegalArgumentException("nonce already used for another statement");
    }
    if (seen.isEmpty() || "aborted".equals(seen.get().state())) {
      // Every party signed, so every other party records it: so must we, or the cycle is recorded by some only.
      // (Only a journal that lost our pledge, or a coordinator that aborted after committing, leads here.)
      if (seen.isPresent()) {
        journal.reinstate(seen.get(), sigs, now);
      } else {
        journal.recordUnpledged(st, st.creditorOf(me.publicKey()).hex(), st.debtorOf(me.publicKey()).hex(), sigs,
            now);
      }
    } else if ("signed".equals(seen.get().state())) {
      journal.record(st.nonceText(), sigs, now);
    }
    Map<String, Object> b = PayoutWire.body("netting_cycle_done", me.publicKey(), env.from(), now);
    b.put("nonce", st.nonce());
    return PayoutWire.seal(me, b);
  }

  private byte[] abort(PayoutWire.Envelope env, Instant now) {
    CycleStatement st = CycleStatement.fromBody(env.body().get("statement"));
    if (!env.from().equals(st.coordinator()) || !st.parties().contains(me.publicKey())) {
      throw new IllegalArgumentException("only the coordinator aborts its cycle, and only toward its parties");
    }
    Optional<CycleJournal.Row> seen = journal.find(st.nonceText());
    if (seen.isPresent() && "recorded".equals(seen.get().state())) {
      return refuse(env, st.nonce(), now, "recorded here with every party's signature: send the commit");
    }
    if (seen.isPresent() && "signed".equals(seen.get().state())) {
      journal.release(seen.get(), now);
    } else if (seen.isEmpty()) {
      journal.tombstone(st, st.creditorOf(me.publicKey()).hex(), st.debtorOf(me.publicKey()).hex(), now);
    }
    Map<String, Object> b = PayoutWire.body("netting_cycle_aborted", me.publicKey(), env.from(), now);
    b.put("nonce", st.nonce());
    return PayoutWire.seal(me, b);
  }

  /**
   * As coordinator: a party asks what became of a cycle it signed (its commit or abort may have been lost, and this
   * node may not run another round soon). The answer is the decision itself: the full signature set, or the abort,
   * or {@code undecided} while signatures are still being collected.
   */
  private byte[] status(PayoutWire.Envelope env, Instant now) {
    byte[] nonce = env.bytes("nonce", CycleStatement.NONCE_BYTES);
    Optional<CycleJournal.Row> row = journal.find(java.util.Base64.getEncoder().encodeToString(nonce));
    if (row.isEmpty() || !CycleJournal.COORDINATOR.equals(row.get().role())
        || !row.get().statement().parties().contains(env.from())) {
      throw new IllegalArgumentException("no cycle with that nonce was coordinated here with the asking node");
    }
    CycleJournal.Row r = row.get();
    Map<String, Object> b = PayoutWire.body("netting_cycle_decision", me.publicKey(), env.from(), now);
    b.put("nonce", nonce);
    b.put("statement", r.statement().body());
    switch (r.state()) {
      case "committed", "done" -> {
        b.put("decision", "committed");
        b.put("signatures", new ArrayList<Object>(r.signatures()));
      }
      case "aborting", "aborted" -> b.put("decision", "aborted");
      default -> b.put("decision", "undecided");
    }
    return PayoutWire.seal(me, b);
  }

  /**
   * As party: settles a pledge with the decision its coordinator sent back ({@link #status}) — records it with
   * every signature verified, or gives the pledge back on an abort; returns what it did, or empty when the decision
   * is not made yet.
   */
  Optional<String> settle(CycleJournal.Row r, PayoutWire.Envelope decision, Instant now) {
    lock.lock();
    try {
      CycleStatement st = CycleStatement.fromBody(decision.body().get("statement"));
      if (!decision.from().equals(r.statement().coordinator())
          || !Arrays.equals(st.encoded(), r.statement().encoded())) {
        throw new IllegalArgumentException("the decision is not the coordinator's for the statement signed here");
      }
      Optional<CycleJournal.Row> current = journal.find(r.nonce());
      if (current.isEmpty() || !"signed".equals(current.get().state())) {
        return Optional.empty(); // settled meanwhile by the coordinator's own commit or abort
      }
      switch (decision.text("decision")) {
        case "committed" -> {
          List<byte[]> sigs = CycleStatement.signaturesFrom(decision.body().get("signatures"));
          st.verifyAll(sigs);
          journal.record(r.nonce(), sigs, now);
          return Optional.of("recorded");
        }
        case "aborted" -> {
          journal.release(current.get(), now);
          return Optional.of("released");
        }
        default -> {
          return Optional.empty();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Cycles this node signed whose decision it has not heard yet. */
  List<CycleJournal.Row> inDoubt() {
    return journal.inDoubt();
  }

  private byte[] refuse(PayoutWire.Envelope env, byte[] nonce, Instant now, String message) {
    Map<String, Object> b = PayoutWire.body("netting_cycle_refused", me.publicKey(), env.from(), now);
    b.put("nonce", nonce);
    b.put("message", message);
    return PayoutWire.seal(me, b);
  }

  /** Every cycle this node signed or coordinated. */
  public List<CycleJournal.Row> history() {
    return journal.all();
  }
}
