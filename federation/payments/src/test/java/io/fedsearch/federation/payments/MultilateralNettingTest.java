package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.federation.payments.netting.CycleCoordinator;
import io.fedsearch.federation.payments.netting.CycleJournal;
import io.fedsearch.federation.payments.netting.CycleStatement;
import io.fedsearch.federation.payments.payout.PayoutWire;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multilateral netting between five real nodes (their payments databases, fee books and payout receivers) over the
 * in-process payout transport, with requests and answers lost, stopped or altered on the way: a cycle is recorded
 * by every party or by none, and what each node owes changes only by a fully signed statement.
 */
@Timeout(120)
class MultilateralNettingTest {
  @TempDir Path dir;
  CycleNet net;

  @BeforeEach
  void start() {
    net = new CycleNet(dir, 5);
    // a 5-cycle 0 → 1 → 2 → 3 → 4 → 0 whose smallest debt is 50, and one debt off the cycle
    net.owe(0, 1, 90);
    net.owe(1, 2, 80);
    net.owe(2, 3, 70);
    net.owe(3, 4, 60);
    net.owe(4, 0, 50);
    net.owe(2, OUTSIDER, 33);
  }

  /** A node outside the network (no route to it): what it owes is unknown, so no cycle runs through it. */
  static final int OUTSIDER = -1;

  @AfterEach
  void stop() {
    net.close();
  }

  long[] cycleDues() {
    return new long[] {net.due(0, 1), net.due(1, 2), net.due(2, 3), net.due(3, 4), net.due(4, 0)};
  }

  List<CycleCoordinator.Outcome> runFrom(int coordinator) {
    return net.nodes.get(coordinator).payouts().netCycles();
  }

  @Test
  void aFiveCycleIsCancelledAndRecordedByEveryParty() {
    List<CycleCoordinator.Outcome> out = runFrom(2);
    assertThat(out).singleElement().satisfies(o -> {
      assertThat(o.status()).isEqualTo("done");
      assertThat(o.amount()).isEqualTo(50);
      assertThat(o.parties()).containsExactly(net.keys.get(2).publicKey().hex(), net.keys.get(3).publicKey().hex(),
          net.keys.get(4).publicKey().hex(), net.keys.get(0).publicKey().hex(), net.keys.get(1).publicKey().hex());
    });
    assertThat(cycleDues()).containsExactly(40, 30, 20, 10, 0);
    assertThat(net.due(2, OUTSIDER)).as("a debt off the cycle").isEqualTo(33);
    for (int i = 0; i < 5; i++) {
      assertThat(net.state(i)).isEqualTo(i == 2 ? "done" : "recorded");
      // what each party keeps is the fully signed statement: every signature verifies
      CycleJournal.Row r = net.nodes.get(i).cycles().history().get(0);
      r.statement().verifyAll(r.signatures());
    }
    // a second round finds nothing left to cancel and changes nothing
    assertThat(runFrom(0)).isEmpty();
    assertThat(cycleDues()).containsExactly(40, 30, 20, 10, 0);
  }

  @Test
  void mutualDebtsAreTheTwoCycleBilateralNettingOffsets() {
    net.owe(1, 0, 30); // now 0 and 1 owe each other 90 and 30
    List<CycleCoordinator.Outcome> out = runFrom(0);
    assertThat(out).extracting(CycleCoordinator.Outcome::status).containsOnly("done");
    assertThat(out.get(0).parties()).hasSize(2);
    assertThat(out.get(0).amount()).isEqualTo(30);
    assertThat(net.due(1, 0)).isZero();
    // the 5-cycle through 0 comes next, with what is left of 0 → 1 (60)
    assertThat(out).hasSize(2);
    assertThat(cycleDues()).containsExactly(10, 30, 20, 10, 0);
  }

  @Test
  void aPartyThatDoesNotSignLeavesEveryDebtUnchanged() {
    long[] before = cycleDues();
    net.rule = (type, to) -> type.equals("netting_cycle_sign") && to == 0 ? CycleNet.Fate.LOSE_REQUEST
        : CycleNet.Fate.DELIVER;
    List<CycleCoordinator.Outcome> out = runFrom(2);
    assertThat(out).singleElement().satisfies(o -> {
      assertThat(o.status()).isEqualTo("aborted");
      assertThat(o.reason()).contains("did not sign").contains("request lost");
    });
    assertThat(cycleDues()).containsExactly(before);
    // 3 and 4 had signed (their pledges were durable); the abort gave them back. 1 was never asked: it remembers
    // the nonce as aborted, so a sign request arriving late cannot pledge.
    assertThat(net.state(3)).isEqualTo("aborted");
    assertThat(net.state(4)).isEqualTo("aborted");
    assertThat(net.state(1)).isEqualTo("aborted");
    assertThat(net.state(2)).isEqualTo("aborted");
    // once 0 answers again the next round cancels the cycle
    net.rule = (type, to) -> CycleNet.Fate.DELIVER;
    assertThat(runFrom(2)).extracting(CycleCoordinator.Outcome::status).containsExactly("done");
    assertThat(cycleDues()).containsExactly(40, 30, 20, 10, 0);
  }

  @Test
  void aPartyThatOwesLessThanTheStatementSaysRefusesAndNothingMoves() {
    long[] before = cycleDues();
    // after the declarations, 4's debt to 0 is paid down (here: set off bilaterally elsewhere) before it is asked
    net.rule = (type, to) -> {
      if (type.equals("netting_cycle_sign") && to == 4) {
        net.nodes.get(4).db().write(io.fedsearch.federation.payments.payout.FeeBook.netted(
            net.keys.get(0).publicKey(), 45));
      }
      return CycleNet.Fate.DELIVER;
    };
    assertThat(runFrom(2)).singleElement().satisfies(o -> {
      assertThat(o.status()).isEqualTo("aborted");
      assertThat(o.reason()).contains("owes").contains("less than the 50 to cancel");
    });
    assertThat(cycleDues()).containsExactly(before[0], before[1], before[2], before[3], before[4] - 45);
  }

  @Test
  void aLostSignatureIsAbortedAndThePledgeGivenBack() {
    long[] before = cycleDues();
    net.rule = (type, to) -> type.equals("netting_cycle_sign") && to == 4 ? CycleNet.Fate.LOSE_RESPONSE
        : CycleNet.Fate.DELIVER;
    assertThat(runFrom(2)).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo("aborted"));
    assertThat(net.state(4)).isEqualTo("aborted"); // it had signed and pledged: released
    assertThat(cycleDues()).containsExactly(before);
  }

  @Test
  void aLostAcknowledgementIsRecoveredAndTheCycleRecordedOnce() {
    net.rule = (type, to) -> type.equals("netting_cycle_commit") && to == 4 ? CycleNet.Fate.LOSE_RESPONSE
        : CycleNet.Fate.DELIVER;
    assertThat(runFrom(2)).singleElement().satisfies(o -> {
      assertThat(o.status()).isEqualTo("committed");
      assertThat(o.reason()).contains("response lost");
    });
    assertThat(net.state(4)).isEqualTo("recorded");
    assertThat(cycleDues()).containsExactly(40, 30, 20, 10, 0);
    net.rule = (type, to) -> CycleNet.Fate.DELIVER;
    net.clock.advance(java.time.Duration.ofHours(3)); // long after the statement's freshness window
    net.sent.clear();
    assertThat(runFrom(2)).extracting(CycleCoordinator.Outcome::status).containsExactly("done");
    assertThat(net.sent).filteredOn(s -> s.startsWith("netting_cycle_commit")).containsExactly("netting_cycle_commit>4");
    assertThat(cycleDues()).containsExactly(40, 30, 20, 10, 0);
  }

  @Test
  void aCommitThatNeverArrivedIsSentAgainAndRecorded() {
    net.rule = (type, to) -> type.equals("netting_cycle_commit") && to == 0 ? CycleNet.Fate.LOSE_REQUEST
        : CycleNet.Fate.DELIVER;
    assertThat(runFrom(2)).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo("committed"));
    assertThat(net.state(0)).isEqualTo("signed"); // pledged, waiting for the decision
    assertThat(net.due(0, 1)).isEqualTo(40); // its pledge already keeps the amount from being paid out too
    // while it waits, the same coordinator cannot make it pledge more
    CycleStatement another = new CycleStatement(net.keys.get(2).publicKey(), List.of(net.keys.get(2).publicKey(),
        net.keys.get(3).publicKey(), net.keys.get(4).publicKey(), net.keys.get(0).publicKey(),
        net.keys.get(1).publicKey()), 5, new byte[16], net.clock.millis());
    Map<String, Object> ask = PayoutWire.body("netting_cycle_sign", net.keys.get(2).publicKey(),
        net.keys.get(0).publicKey(), net.clock.instant());
    ask.put("statement", another.body());
    PayoutWire.Envelope refused = PayoutWire.open(net.nodes.get(0).receiver().handle(
        PayoutWire.seal(net.keys.get(2), ask)), net.keys.get(2).publicKey(), net.clock.instant());
    assertThat(refused.type()).isEqualTo("netting_cycle_refused");
    assertThat(refused.text("message")).contains("still undecided");
    assertThat(net.due(0, 1)).isEqualTo(40);
    net.rule = (type, to) -> CycleNet.Fate.DELIVER;
    net.clock.advance(java.time.Duration.ofHours(3));
    assertThat(runFrom(2)).extracting(CycleCoordinator.Outcome::status).containsExactly("done");
    assertThat(net.state(0)).isEqualTo("recorded");
    assertThat(cycleDues()).containsExactly(40, 30, 20, 10, 0);
  }

  @Test
  void aPartyWhoseCommitWasLostFetchesTheDecisionItself() {
    net.rule = (type, to) -> type.equals("netting_cycle_commit") && to == 0 ? CycleNet.Fate.LOSE_REQUEST
        : CycleNet.Fate.DELIVER;
    assertThat(runFrom(2)).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo("committed"));
    assertThat(net.state(0)).isEqualTo("signed");
    net.rule = (type, to) -> CycleNet.Fate.DELIVER;
    net.clock.advance(java.time.Duration.ofHours(3));
    // 0 runs a round of its own before the coordinator runs another: it asks and records
    assertThat(runFrom(0)).extracting(CycleCoordinator.Outcome::status).containsExactly("recorded");
    assertThat(net.state(0)).isEqualTo("recorded");
    assertThat(cycleDues()).containsExactly(40, 30, 20, 10, 0);
    // the coordinator's resent commit is acknowledged as already recorded, and nothing is offset twice
    assertThat(runFrom(2)).extracting(CycleCoordinator.Outcome::status).containsExactly("done");
    assertThat(cycleDues()).containsExactly(40, 30, 20, 10, 0);
  }

  @Test
  void aPledgeSurvivesARestartAndIsRecordedWhenTheCommitComes() {
    net.rule = (type, to) -> type.equals("netting_cycle_commit") && to == 0 ? CycleNet.Fate.LOSE_REQUEST
        : CycleNet.Fate.DELIVER;
    assertThat(runFrom(2)).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo("committed"));
    net.restart(0); // and the coordinator too: its decision is in its journal, not in memory
    net.restart(2);
    assertThat(net.state(0)).isEqualTo("signed");
    assertThat(net.due(0, 1)).isEqualTo(40);
    net.rule = (type, to) -> CycleNet.Fate.DELIVER;
    assertThat(runFrom(2)).extracting(CycleCoordinator.Outcome::status).containsExactly("done");
    assertThat(net.state(0)).isEqualTo("recorded");
    assertThat(cycleDues()).containsExactly(40, 30, 20, 10, 0);
  }

  @Test
  void aPartyWhoseAbortWasLostFetchesItAndGetsItsPledgeBack() {
    long[] before = cycleDues();
    // 3 signs; 0 does not answer; the abort to 3 is lost: 3 holds a pledge for a cycle that will never be
    net.rule = (type, to) -> (type.equals("netting_cycle_sign") && to == 0)
        || (type.equals("netting_cycle_abort") && to == 3) ? CycleNet.Fate.LOSE_REQUEST : CycleNet.Fate.DELIVER;
    assertThat(runFrom(2)).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo("aborting"));
    assertThat(net.state(3)).isEqualTo("signed");
    assertThat(net.due(2, 3)).isEqualTo(before[2]);
    assertThat(net.due(3, 4)).isEqualTo(before[3] - 50); // pledged
    net.rule = (type, to) -> type.equals("netting_cycle_sign") ? CycleNet.Fate.LOSE_REQUEST : CycleNet.Fate.DELIVER;
    assertThat(runFrom(3)).extracting(CycleCoordinator.Outcome::status).contains("released");
    assertThat(net.state(3)).isEqualTo("aborted");
    assertThat(cycleDues()).containsExactly(before);
  }

  @Test
  void aCoordinatorThatStoppedWhileCollectingAbortsFirstThenNetsAfresh() {
    net.rule = (type, to) -> type.equals("netting_cycle_sign") && to == 0 ? CycleNet.Fate.THROW
        : CycleNet.Fate.DELIVER;
    long[] before = cycleDues();
    assertThatThrownBy(() -> runFrom(2)).hasMessageContaining("the coordinator stops here");
    assertThat(net.state(2)).isEqualTo("collecting");
    assertThat(net.state(3)).isEqualTo("signed");
    net.rule = (type, to) -> CycleNet.Fate.DELIVER;
    List<CycleCoordinator.Outcome> out = runFrom(2);
    assertThat(out).extracting(CycleCoordinator.Outcome::status).containsExactly("aborted", "done");
    assertThat(cycleDues()).containsExactly(before[0] - 50, before[1] - 50, before[2] - 50, before[3] - 50, 0);
  }

  @Test
  void anAlteredCommitIsRefusedAndRecordsNothing() {
    NodeKey coordinator = net.keys.get(2);
    // the commit to 4 arrives with the amount raised to 60, re-signed by the coordinator (a dishonest one)
    net.rewrite = (type, request) -> type.equals("netting_cycle_commit") && net.sent.getLast().endsWith(">4")
        ? alter(coordinator, request, 60L) : request;
    assertThat(runFrom(2)).singleElement().satisfies(o -> {
      assertThat(o.status()).isEqualTo("committed");
      assertThat(o.reason()).contains("does not verify");
    });
    assertThat(net.state(4)).isEqualTo("signed"); // its pledge of 50 stands; nothing more was taken
    assertThat(net.due(4, 0)).isZero();
    assertThat(net.due(3, 4)).isEqualTo(10);
    net.rewrite = (type, request) -> request;
    assertThat(runFrom(2)).extracting(CycleCoordinator.Outcome::status).containsExactly("done");
    assertThat(net.state(4)).isEqualTo("recorded");
  }

  @Test
  void aCommitWithAForgedSignatureIsRefused() {
    NodeKey coordinator = net.keys.get(2);
    // the coordinator signs in 3's place
    net.rewrite = (type, request) -> type.equals("netting_cycle_commit") && net.sent.getLast().endsWith(">4")
        ? forge(coordinator, request, 1) : request;
    assertThat(runFrom(2)).singleElement().satisfies(o -> assertThat(o.reason()).contains("party 1")
        .contains("does not verify"));
    assertThat(net.state(4)).isEqualTo("signed");
  }

  @Test
  void aSignRequestFromAnotherThanTheCoordinatorIsRefused() {
    NodeKey intruder = net.keys.get(1);
    CycleStatement st = new CycleStatement(net.keys.get(2).publicKey(), List.of(net.keys.get(3).publicKey(),
        net.keys.get(4).publicKey(), net.keys.get(2).publicKey()), 10, new byte[16], net.clock.millis());
    Map<String, Object> ask = PayoutWire.body("netting_cycle_sign", intruder.publicKey(), net.keys.get(3).publicKey(),
        net.clock.instant());
    ask.put("statement", st.body());
    PayoutWire.Envelope r = PayoutWire.open(net.nodes.get(3).receiver().handle(PayoutWire.seal(intruder, ask)),
        intruder.publicKey(), net.clock.instant());
    assertThat(r.type()).isEqualTo("netting_cycle_refused");
    assertThat(r.text("message")).contains("only the statement's coordinator");
    assertThat(net.state(3)).isEqualTo("none");
    assertThat(net.due(3, 4)).isEqualTo(60);
  }

  @Test
  void aDeclarationThatRepeatsACreditorOrOverflowsIsIgnoredAndTheRoundGoesOn() {
    long[] before = cycleDues();
    // 4 answers for itself, signed, but names 0 twice with amounts that overflow a sum
    net.forgeAnswer = (type, to) -> {
      if (!type.equals("netting_debts_request") || to != 4) {
        return null;
      }
      Map<String, Object> b = PayoutWire.body("netting_debts", net.keys.get(4).publicKey(),
          net.keys.get(2).publicKey(), net.clock.instant());
      b.put("owes", List.of(List.of(net.keys.get(0).publicKey().bytes(), Long.MAX_VALUE),
          List.of(net.keys.get(0).publicKey().bytes(), Long.MAX_VALUE)));
      return PayoutWire.seal(net.keys.get(4), b);
    };
    assertThat(runFrom(2)).isEmpty(); // without 4's debts there is no cycle through 2
    assertThat(cycleDues()).containsExactly(before);
    net.forgeAnswer = (type, to) -> null;
    assertThat(runFrom(2)).extracting(CycleCoordinator.Outcome::status).containsExactly("done");
  }

  @Test
  void aSignatureThatIsNotOneAbortsTheCycle() {
    long[] before = cycleDues();
    for (Object bad : List.<Object>of("not bytes", new byte[64])) {
      // 4 pledges and signs, but what comes back (signed by 4) carries text, or 64 bytes that verify for nothing
      net.forgeAnswer = (type, to) -> {
        if (!type.equals("netting_cycle_sign") || to != 4) {
          return null;
        }
        Map<String, Object> b = PayoutWire.body("netting_cycle_signature", net.keys.get(4).publicKey(),
            net.keys.get(2).publicKey(), net.clock.instant());
        b.put("nonce", nonceOfLastStatement());
        b.put("signature", bad);
        return PayoutWire.seal(net.keys.get(4), b);
      };
      assertThat(runFrom(2)).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo("aborted"));
      assertThat(net.state(4)).isEqualTo("aborted"); // its pledge given back
      assertThat(cycleDues()).containsExactly(before);
    }
  }

  /** The nonce of the statement node 4 signed last. */
  byte[] nonceOfLastStatement() {
    var rows = net.nodes.get(4).cycles().history();
    return rows.get(rows.size() - 1).statement().nonce();
  }

  @Test
  void aDebtToAHeldNodeIsNeitherDeclaredNorPledged() {
    net.nodes.get(4).fees().hold(net.keys.get(0).publicKey(), "anomaly under review");
    assertThat(runFrom(2)).as("4's debt to 0 is not declared: no cycle").isEmpty();
    // asked directly, 4 refuses to pledge toward a held node
    CycleStatement st = new CycleStatement(net.keys.get(2).publicKey(), List.of(net.keys.get(2).publicKey(),
        net.keys.get(3).publicKey(), net.keys.get(4).publicKey(), net.keys.get(0).publicKey(),
        net.keys.get(1).publicKey()), 10, new byte[16], net.clock.millis());
    Map<String, Object> ask = PayoutWire.body("netting_cycle_sign", net.keys.get(2).publicKey(),
        net.keys.get(4).publicKey(), net.clock.instant());
    ask.put("statement", st.body());
    PayoutWire.Envelope r = PayoutWire.open(net.nodes.get(4).receiver().handle(PayoutWire.seal(net.keys.get(2), ask)),
        net.keys.get(2).publicKey(), net.clock.instant());
    assertThat(r.type()).isEqualTo("netting_cycle_refused");
    assertThat(r.text("message")).contains("held");
    assertThat(net.due(4, 0)).isEqualTo(50);
  }

  @Test
  void aDeclarationListsOnlyWhatTheNodeOwes() {
    NodeKey asker = net.keys.get(2);
    Map<String, Object> ask = PayoutWire.body("netting_debts_request", asker.publicKey(), net.keys.get(0).publicKey(),
        net.clock.instant());
    PayoutWire.Envelope r = PayoutWire.open(net.nodes.get(0).receiver().handle(PayoutWire.seal(asker, ask)),
        asker.publicKey(), net.clock.instant());
    assertThat(r.type()).isEqualTo("netting_debts");
    // 0 owes 1 ninety; that 4 and 2 owe 0 is theirs to declare
    assertThat((List<?>) r.body().get("owes")).singleElement().satisfies(e -> {
      assertThat((byte[]) ((List<?>) e).get(0)).isEqualTo(net.keys.get(1).publicKey().bytes());
      assertThat(((List<?>) e).get(1)).isEqualTo(90L);
    });
  }

  /** {@code request} (a payout message signed by {@code sender}) with its statement's amount changed, re-signed. */
  @SuppressWarnings("unchecked")
  static byte[] alter(NodeKey sender, byte[] request, long amount) {
    Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) ((Map<?, ?>) DagCbor.decode(request)).get("m"));
    Map<String, Object> st = new LinkedHashMap<>((Map<String, Object>) body.get("statement"));
    st.put("amount", amount);
    body.put("statement", st);
    return PayoutWire.seal(sender, body);
  }

  /** {@code request} with party {@code index}'s signature replaced by {@code sender}'s, re-signed. */
  @SuppressWarnings("unchecked")
  static byte[] forge(NodeKey sender, byte[] request, int index) {
    Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) ((Map<?, ?>) DagCbor.decode(request)).get("m"));
    CycleStatement st = CycleStatement.fromBody(body.get("statement"));
    List<Object> sigs = new ArrayList<>((List<Object>) body.get("signatures"));
    sigs.set(index, sender.sign(st.signingBytes()));
    body.put("signatures", sigs);
    return PayoutWire.seal(sender, body);
  }
}
