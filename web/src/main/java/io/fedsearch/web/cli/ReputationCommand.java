package io.fedsearch.web.cli;

import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.reputation.service.CreatorReport;
import io.fedsearch.reputation.service.ReputationService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fedsearch reputation CREATOR}: the creator's score, interval, breakdown per platform and signal, history,
 * and an attestation signed by the node — read from the node directory's {@code reputation.db} (the inputs the node
 * stored) and recomputed exactly as the node computes it.
 */
@Command(name = "reputation", mixinStandardHelpOptions = true,
    description = "Show a creator's reputation as the node in --dir computes it.")
public final class ReputationCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "CREATOR",
      description = "Creator name exactly as in entries; the rest of the arguments, so no quotes are needed.")
  List<String> creatorWords;

  @Option(names = "--dir", paramLabel = "NODE_DIR", defaultValue = "${env:FEDSEARCH_DIR:-node}",
      description = "Node directory (default: $FEDSEARCH_DIR or ./node).")
  Path dir;

  @Option(names = "--history", defaultValue = "30", description = "Epochs of history to show (default 30).")
  int history;

  @Mixin
  JsonOption output;

  @Override
  public Integer call() {
    String creator = String.join(" ", creatorWords);
    RecordSigner signer = null;
    if (Files.isRegularFile(dir.resolve(NodeKey.KEYSET_FILE))) {
      NodeKey key = NodeKey.load(dir);
      signer = RecordSigner.of(key::sign, key.publicKey().bytes());
    }
    try (ReputationService service = ReputationService.openExisting(dir, signer)) {
      Optional<CreatorReport> report = service.report(creator, history);
      if (report.isEmpty()) {
        System.err.println("fedsearch reputation: no creator '" + creator + "' in " + dir
            + " (" + service.creators() + " creators known)");
        return 1;
      }
      CreatorReport r = report.get();
      if (output.json()) {
        System.out.println(r.toJson());
      } else {
        print(r);
      }
      return 0;
    }
  }

  private static void print(CreatorReport r) {
    System.out.printf("%s%n  score %.2f  [%.2f, %.2f] at epoch %d%n  evidence %.2f credited payers (± %.2f)%n",
        r.creator(), r.score(), r.low(), r.high(), r.epoch(), r.evidence(), r.evidenceStddev());
    if (!r.platforms().isEmpty()) {
      System.out.printf("  %-18s %7s %9s %9s %7s %9s %9s%n", "platform", "weight", "evidence", "credited", "points",
          "payers", "amount");
      for (CreatorReport.PlatformBreakdown p : r.platforms()) {
        System.out.printf("  %-18s %7.3f %9.2f %9.2f %7.2f %9.2f %9.2f%n", p.platform().substring(0, 16) + "…",
            p.weight(), p.evidence(), p.credited(), p.points(), p.payerSignal(), p.amountSignal());
      }
    }
    if (!r.history().isEmpty()) {
      StringBuilder sb = new StringBuilder("  history");
      for (CreatorReport.HistoryPoint h : r.history()) {
        sb.append(String.format(" %d:%.1f", h.epoch(), h.score()));
      }
      System.out.println(sb);
    }
    System.out.println(r.attestation().map(a -> "  attestation " + a.toJson())
        .orElse("  attestation: none (no node key in the directory)"));
  }
}
