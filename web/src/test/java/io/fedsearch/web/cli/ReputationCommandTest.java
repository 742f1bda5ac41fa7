package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.reputation.attest.AttestationVerifier;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.ReputationConfig;
import io.fedsearch.reputation.model.SignalObservation;
import io.fedsearch.reputation.service.ReputationService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedsearch reputation CREATOR --dir NODE_DIR [--json]} against a node directory the service wrote. */
@Timeout(60)
class ReputationCommandTest {
  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = FedsearchCommand.commandLine().execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void printsTheNodesReportWithAnAttestationSignedByTheNode() throws Exception {
    NodeKey key = NodeKey.loadOrCreate(dir);
    NodePublicKey self = NodePublicKey.of(key.publicKey().bytes());
    try (ReputationService s = ReputationService.open(dir, ReputationConfig.defaults(),
        RecordSigner.of(key::sign, key.publicKey().bytes()))) {
      s.putCreators(Map.of("bafy-1", "Debian Games Team"));
      for (long e = 0; e < 3; e++) {
        s.ingestRelease(self, e, List.of(new SignalObservation(self, e, "bafy-1", 90, 180_000, 2.7, 28_000, 25)));
      }
      s.recompute(2);
    }
    Run json = run("reputation", "Debian Games Team", "--dir", dir.toString(), "--json", "--history", "3");
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode r = new ObjectMapper().readTree(json.out());
    assertThat(r.get("creator").asText()).isEqualTo("Debian Games Team");
    assertThat(r.get("score").asDouble()).isGreaterThan(0);
    assertThat(r.get("history")).hasSize(3);
    assertThat(r.get("platforms").get(0).get("platform").asText()).isEqualTo(key.publicKey().hex());
    AttestationVerifier.Result v = AttestationVerifier.verify(r.get("attestation").toString());
    assertThat(v.valid()).as(v.reason()).isTrue();
    assertThat(v.attestation().issuer().hex()).isEqualTo(key.publicKey().hex());

    Run text = run("reputation", "Debian Games Team", "--dir", dir.toString());
    assertThat(text.code()).isZero();
    assertThat(text.out()).contains("score", "history", "attestation");

    // The rest of the arguments are the name: no quotes needed for a name with spaces.
    Run unquoted = run("reputation", "--dir", dir.toString(), "--json", "Debian", "Games", "Team");
    assertThat(unquoted.code()).as(unquoted.err()).isZero();
    assertThat(new ObjectMapper().readTree(unquoted.out()).get("creator").asText()).isEqualTo("Debian Games Team");

    Run missing = run("reputation", "nobody", "--dir", dir.toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no creator 'nobody'");

    Run noNode = run("reputation", "x", "--dir", dir.resolve("absent").toString());
    assertThat(noNode.code()).isEqualTo(1);
    assertThat(noNode.err()).contains("reputation.db");
  }
}
