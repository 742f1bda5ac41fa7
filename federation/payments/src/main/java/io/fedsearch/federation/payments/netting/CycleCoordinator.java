package io.fedsearch.federation.payments.netting;

import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.federation.payments.payout.PayoutWire;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs multilateral netting from this node: gathers signed debt declarations (its own book, then each creditor's,
 * breadth-first, at most {@link #MAX_PEERS} nodes), finds the cycles through itself ({@link CycleCancellation}),
 * and for each asks every other party to sign the {@link CycleStatement}; with every signature it adds its own —
 * the decision, durable with its own pledge — and sends the full set to each party to record. It signs last, so
 * the fully signed statement exists only once it has decided: a party that refuses or does not answer makes it
 * abort instead, and an abort gives every pledge back, leaving every debt as it was.
 *
 * <p>Lost answers are recovered as in bilateral netting: every round first resends the commit (or abort) of each
 * cycle not yet acknowledged by all its parties — with the same statement, however old, since a party answers by
 * nonce — and a cycle the coordinator was still collecting when it stopped is aborted. Until a party hears the
 * decision its pledge stays (it is the party's promise to record): the cost of a coordinator that never comes back
 * is that amount, held, not money moved.
 */
public final class CycleCoordinator {
  /** Most nodes asked for their debts in one round. */
  public static final int MAX_PEERS = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What became of one cycle this round (status done, committed — some party still to acknowledge — or aborted). */
  public record Outcome(List<String> parties, long amount, String nonce, String status, String reason) {}

  private final NodeKey me;
  private final CycleParty self;
  private final CycleJournal journal;
  private final Clock clock;

  public CycleCoordinator(NodeKey me, CycleParty self, PaymentsDb db, Clock clock) {
    this.me = me;
    this.self = self;
    this.journal = new CycleJournal(db);
    this.clock = clock;
  }

  /**
   * One round: asks the coordinators of cycles this node signed and never heard about for their decision, settles
   * the cycles it coordinated earlier, then proposes the cycles through this node found now.
   */
  public List<Outcome> run(PayoutTransport transport) {
    List<Outcome> out = new ArrayList<>(askInDoubt(transport));
    out.addAll(resolve(transport));
    DebtGraph debts = gather(transport);
    for (CycleCancellation.Cycle c : CycleCancellation.cancelThrough(debts, me.publicKey().hex(),
        CycleStatement.MAX_PARTIES).cycles()) {
      out.add(propose(c, transport));
    }
    return out;
  }

  /** The debts this node learns this round: its own and those declared, signed, by the nodes it reaches. */
  public DebtGraph gather(PayoutTransport transport) {
    DebtGraph g = new DebtGraph();
    String mine = me.publicKey().hex();
    Set<String> asked = new LinkedHashSet<>(List.of(mine));
    ArrayDeque<String> next = new ArrayDeque<>();
    for (Map.Entry<String, Long> d : self.debts()) {
      g.add(mine, d.getKey(), d.getValue());
      next.add(d.getKey());
    }
    while (!next.isEmpty() && asked.size() <= MAX_PEERS) {
      String peer = next.poll();
      if (!asked.add(peer)) {
        continue;
      }
      try {
        for (Map.Entry<String, Long> d : declaration(NodePublicKey.fromHex(peer), transport)) {
          g.add(peer, d.getKey(), d.getValue());
          next.add(d.getKey());
        }
      } catch (IOException | RuntimeException e) {
        // a node that does not answer (or answers nonsense) takes no part in this round; its debts stay as they are
      }
    }
    return g;
  }

  private List<Map.Entry<String, Long>> declaration(NodePublicKey peer, PayoutTransport transport)
      throws IOException {
    PayoutWire.Envelope r = exchange(peer, PayoutWire.body("netting_debts_request", me.publicKey(), peer,
        clock.instant()), transport);
    if (!"netting_debts".equals(r.type()) || !(r.body().get("owes") instanceof List<?> owes)
        || owes.size() > CycleParty.MAX_DECLARED) {
      throw new IllegalArgumentException("expected netting_debts of at most " + CycleParty.MAX_DECLARED + " debts");
    }
    List<Map.Entry<String, Long>> out = new ArrayList<>();
    Set<NodePublicKey> seen = new java.util.HashSet<>();
    long total = 0;
    for (Object o : owes) {
      if (!(o instanceof List<?> e) || e.size() != 2 || !(e.get(0) instanceof byte[] key)
          || !(e.get(1) instanceof Long amount) || amount <= 0) {
        throw new IllegalArgumentException("a declared debt is not [node key, positive amount]");
      }
      NodePublicKey creditor = NodePublicKey.of(key);
      total = Math.addExact(total, amount); // a declaration that overflows is refused whole, not wrapped
      if (!seen.add(creditor)) {
        throw new IllegalArgumentException("a declaration names " + creditor.hex() + " twice");
      }
      if (!creditor.equals(peer)) {
        out.add(Map.entry(creditor.hex(), amount));
      }
    }
    return out;
  }

  private Outcome propose(CycleCancellation.Cycle c, PayoutTransport transport) {
    List<NodePublicKey> parties = c.parties().stream().map(NodePublicKey::fromHex).toList();
    byte[] nonce = new byte[CycleStatement.NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    Instant now = clock.instant();
    CycleStatement st = new CycleStatement(me.publicKey(), parties, c.amount(), nonce, now.toEpochMilli());
    String creditor = st.creditorOf(me.publicKey()).hex();
    journal.collecting(st, creditor, st.debtorOf(me.publicKey()).hex(), now);
    List<byte[]> sigs = new ArrayList<>(Arrays.asList(new byte[parties.size()][]));
    String refusal = null;
    for (NodePublicKey p : parties) {
      if (p.equals(me.publicKey())) {
        continue;
      }
      try {
        Map<String, Object> ask = PayoutWire.body("netting_cycle_sign", me.publicKey(), p, clock.instant());
        ask.put("statement", st.body());
        PayoutWire.Envelope r = exchange(p, ask, transport);
        if ("netting_cycle_signature".equals(r.type()) && Arrays.equals(r.bytes("nonce", nonce.length), nonce)
            && r.body().get("signature") instanceof byte[] sig && st.signedBy(p, sig)) {
          sigs.set(st.indexOf(p), sig);
          continue;
        }
        refusal = p.hex() + " did not sign: " + r.type()
            + (r.optText("message") == null ? "" : ": " + r.optText("message"));
      } catch (IOException | IllegalArgumentException e) {
        refusal = p.hex() + " did not sign: " + e.getMessage();
      }
      break;
    }
    if (refusal == null) {
      sigs.set(st.indexOf(me.publicKey()), me.sign(st.signingBytes()));
      try {
        journal.commit(st, creditor, sigs, clock.instant());
      } catch (CycleJournal.Shortfall e) {
        refusal = "this node no longer owes the amount: " + e.getMessage();
      }
    }
    if (refusal != null) {
      journal.aborting(st.nonceText(), clock.instant());
    }
    CycleJournal.Row row = journal.find(st.nonceText()).orElseThrow();
    Outcome o = distribute(row, transport);
    // aborted, or aborting while some party has not heard the abort yet
    return refusal == null ? o : new Outcome(o.parties(), o.amount(), o.nonce(), o.status(),
        o.reason() == null ? refusal : refusal + "; abort not delivered: " + o.reason());
  }

  /** Settles this node's pledges whose decision was lost on the way, by asking each one's coordinator. */
  private List<Outcome> askInDoubt(PayoutTransport transport) {
    List<Outcome> out = new ArrayList<>();
    for (CycleJournal.Row r : self.inDoubt()) {
      CycleStatement st = r.statement();
      List<String> parties = st.parties().stream().map(NodePublicKey::hex).toList();
      try {
        Map<String, Object> ask = PayoutWire.body("netting_cycle_status", me.publicKey(), st.coordinator(),
            clock.instant());
        ask.put("nonce", st.nonce());
        PayoutWire.Envelope d = exchange(st.coordinator(), ask, transport);
        if (!"netting_cycle_decision".equals(d.type())) {
          throw new IllegalArgumentException("answered " + d.type());
        }
        self.settle(r, d, clock.instant()).ifPresent(done -> out.add(new Outcome(parties, st.amount(), r.nonce(),
            done, "decision fetched from the coordinator")));
      } catch (IOException | RuntimeException e) {
        // still in doubt: the pledge stays, and the next round asks again
      }
    }
    return out;
  }

  /** Resends the decision of every cycle not yet acknowledged by all its parties; aborts those left collecting. */
  private List<Outcome> resolve(PayoutTransport transport) {
    List<Outcome> out = new ArrayList<>();
    for (CycleJournal.Row r : journal.unresolved()) {
      if ("collecting".equals(r.state())) {
        journal.aborting(r.nonce(), clock.instant()); // we stopped while collecting: we never signed
        r = journal.find(r.nonce()).orElseThrow();
      }
      out.add(distribute(r, transport));
    }
    return out;
  }

  /** Sends a row's decision (commit with every signature, or abort) to each party that has not acknowledged it. */
  private Outcome distribute(CycleJournal.Row r, PayoutTransport transport) {
    boolean commit = "committed".equals(r.state());
    CycleStatement st = r.statement();
    Set<String> acked = new LinkedHashSet<>(r.acked());
    String problem = null;
    for (NodePublicKey p : st.parties()) {
      if (p.equals(me.publicKey()) || acked.contains(p.hex())) {
        continue;
      }
      try {
        Map<String, Object> m = PayoutWire.body(commit ? "netting_cycle_commit" : "netting_cycle_abort",
            me.publicKey(), p, clock.instant());
        m.put("statement", st.body());
        if (commit) {
          m.put("signatures", new ArrayList<Object>(r.signatures()));
        }
        PayoutWire.Envelope a = exchange(p, m, transport);
        String expected = commit ? "netting_cycle_done" : "netting_cycle_aborted";
        if (!expected.equals(a.type()) || !Arrays.equals(a.bytes("nonce", CycleStatement.NONCE_BYTES), st.nonce())) {
          throw new IOException("answered " + a.type() + (a.optText("message") == null ? "" : ": "
              + a.optText("message")));
        }
        journal.acknowledged(r, p.hex(), clock.instant());
        acked.add(p.hex());
        r = journal.find(r.nonce()).orElseThrow();
      } catch (IOException | IllegalArgumentException e) {
        problem = (problem == null ? "" : problem + "; ") + p.hex() + ": " + e.getMessage();
      }
    }
    List<String> parties = st.parties().stream().map(NodePublicKey::hex).toList();
    if (problem != null) { // the decision stands; it is sent again next round
      return new Outcome(parties, st.amount(), r.nonce(), commit ? "committed" : "aborting", problem);
    }
    journal.finish(r, clock.instant());
    return new Outcome(parties, st.amount(), r.nonce(), commit ? "done" : "aborted", null);
  }

  /** Sends a signed request to {@code peer}; returns its answer once checked to be from it, to us, fresh. */
  private PayoutWire.Envelope exchange(NodePublicKey peer, Map<String, Object> body, PayoutTransport transport)
      throws IOException {
    byte[] answer = transport.exchange(peer, PayoutWire.seal(me, body));
    PayoutWire.Envelope r = PayoutWire.open(answer, me.publicKey(), clock.instant());
    if (!r.from().equals(peer)) {
      throw new IOException("answer signed by another node than " + peer.hex());
    }
    if ("error".equals(r.type())) {
      throw new IOException("error: " + r.optText("message"));
    }
    return r;
  }
}
