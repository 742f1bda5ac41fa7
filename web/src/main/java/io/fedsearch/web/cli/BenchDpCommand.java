package io.fedsearch.web.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.indexer.entry.InvalidEntryException;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.privacy.bench.DpBench;
import io.fedsearch.privacy.release.Mechanism;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.signing.RecordSigner;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedsearch bench dp}: NDCG@10 of signal-aware ranking with differentially private payment signals against
 * the true signal, per ε. Text relevance is Lucene BM25 (EnglishAnalyzer over title and description, title boosted
 * 2×) over the data file; the payments simulation, releases and scoring are {@link DpBench} in the privacy module.
 */
@Command(name = "dp", mixinStandardHelpOptions = true,
    description = "Benchmark ranking quality of differentially private payment signals per epsilon.")
public final class BenchDpCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Entries with popularity.")
  Path data;

  @Option(names = "--queries", required = true, paramLabel = "QUERIES.jsonl", description = "{\"query\": …} lines.")
  Path queries;

  @Option(names = "--epsilon", split = ",", defaultValue = "0.1,0.5,1,2", description = "Per-epoch ε values.")
  List<BigDecimal> epsilons;

  @Option(names = "--payments", defaultValue = "50000000",
      description = "Simulated purchases in the epoch (volume per entry ∝ popularity; up to 200000000).")
  long payments;

  @Option(names = "--purchases-per-payer", defaultValue = "2.5",
      description = "Mean purchases per synthetic payer (geometric; some exceed L, so bounding applies).")
  double purchasesPerPayer;

  @Option(names = "--mechanism", defaultValue = "laplace", description = "laplace or gaussian.")
  String mechanism;

  @Option(names = "--max-cids-per-payer", description = "L (default: the node default).")
  Integer maxCids;

  @Option(names = "--max-drops-per-cid", description = "C (default: the node default).")
  Long maxDrops;

  @Option(names = "--delta", description = "Per-epoch δ (default: the node default).")
  BigDecimal delta;

  @Option(names = "--weight", defaultValue = "0.5", description = "w in bm25 × (1 + w·ln(1+signal)).")
  double weight;

  @Option(names = "--candidates", defaultValue = "100", description = "BM25 candidates re-ranked per query.")
  int candidates;

  @Option(names = "--repeats", defaultValue = "3", description = "Releases per ε (figures are means).")
  int repeats;

  @Option(names = "--seed", defaultValue = "20251121", description = "Seed of the synthetic payments.")
  long seed;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    if (repeats < 1 || candidates < 10 || weight < 0) {
      throw new IllegalArgumentException("--repeats must be ≥ 1, --candidates ≥ 10, --weight ≥ 0");
    }
    ReleaseConfig base = ReleaseConfig.defaults().withMechanism(Mechanism.parse(mechanism));
    if (maxCids != null || maxDrops != null) {
      base = base.withBounds(maxCids == null ? base.maxCidsPerPayer() : maxCids,
          maxDrops == null ? base.maxDropsPerCid() : maxDrops);
    }
    if (delta != null) {
      base = base.withDelta(delta);
    }
    long t0 = System.nanoTime();
    List<DpBench.Item> items = new ArrayList<>();
    List<String[]> texts = new ArrayList<>();
    loadEntries(items, texts);
    List<List<DpBench.Candidate>> cands = bm25Candidates(texts, loadQueries());
    double prepSeconds = (System.nanoTime() - t0) / 1e9;

    NodeKey key = NodeKey.generate();
    RecordSigner signer = RecordSigner.of(key::sign, key.publicKey().bytes());
    DpBench.Report report = DpBench.run(items, cands, epsilons,
        new DpBench.Settings(payments, purchasesPerPayer, repeats, weight, seed, base), signer, new SecureRandom());

    ObjectNode out = JSON.createObjectNode();
    out.put("bench", "dp");
    out.put("data", data.getFileName().toString());
    out.put("entries", report.items());
    out.put("queries", report.queries());
    out.put("payments", report.payments());
    out.put("payers", report.payers());
    out.put("cids_with_payments", report.cidsWithPayments());
    out.put("mechanism", base.mechanism().wireName());
    out.put("delta", base.delta().toPlainString());
    out.put("max_cids_per_payer", base.maxCidsPerPayer());
    out.put("max_drops_per_cid", base.maxDropsPerCid());
    out.put("weight", weight);
    out.put("candidates", candidates);
    out.put("repeats", repeats);
    out.put("ndcg10_text_only", round(report.ndcg10TextOnly()));
    out.put("ndcg10_bounded_no_noise", round(report.ndcg10BoundedNoNoise()));
    out.put("prepare_s", round(prepSeconds));
    ArrayNode rs = out.putArray("results");
    for (DpBench.EpsilonResult r : report.results()) {
      ObjectNode o = rs.addObject();
      o.put("epsilon", r.epsilon());
      o.put("ndcg10", round(r.ndcg10()));
      o.put("released_fraction", round(r.releasedFraction()));
      o.put("released_fraction_of_entries", round(r.releasedFractionOfAll()));
      o.put("releases_per_s", round(r.releasesPerSecond()));
      o.put("purchases_per_s", Math.round(r.releasesPerSecond() * report.payments()));
      o.put("threshold", r.threshold());
      o.put("rows", r.meanRows());
    }
    if (json) {
      System.out.println(JSON.writeValueAsString(out));
    } else {
      System.out.printf("dp bench: %d entries, %d queries, %d payments by %d payers (%d CIDs paid), %s, L=%d C=%d%n",
          report.items(), report.queries(), report.payments(), report.payers(), report.cidsWithPayments(),
          base.mechanism().wireName(), base.maxCidsPerPayer(), base.maxDropsPerCid());
      System.out.printf("baselines vs true-signal ranking: text only %.4f, bounded without noise %.4f%n",
          report.ndcg10TextOnly(), report.ndcg10BoundedNoNoise());
      for (DpBench.EpsilonResult r : report.results()) {
        System.out.printf("eps=%-5s ndcg10=%.4f released_fraction=%.4f threshold=%d releases_per_s=%.2f%n",
            r.epsilon(), r.ndcg10(), r.releasedFraction(), r.threshold(), r.releasesPerSecond());
      }
    }
    return 0;
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private void loadEntries(List<DpBench.Item> items, List<String[]> texts) throws IOException {
    EntryParser parser = new EntryParser(null);
    int lineNo = 0;
    try (BufferedReader in = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = JSON.readTree(line);
        Entry entry;
        try {
          entry = parser.parse(node);
        } catch (InvalidEntryException e) {
          throw new IllegalArgumentException(data + ":" + lineNo + ": " + e.getMessage(), e);
        }
        JsonNode pop = node.get("popularity");
        long popularity = pop != null && pop.canConvertToLong() ? pop.longValue() : 0;
        items.add(new DpBench.Item(entry.cid().toString(), popularity));
        texts.add(new String[] {entry.title(), entry.description()});
      }
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException(data + " holds no entries");
    }
  }

  private List<String> loadQueries() throws IOException {
    List<String> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(queries, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.isBlank()) {
          JsonNode q = JSON.readTree(line).get("query");
          if (q == null || !q.isTextual()) {
            throw new IllegalArgumentException(queries + ": every line needs a \"query\" string");
          }
          out.add(q.textValue());
        }
      }
    }
    return out;
  }

  /** Top {@code candidates} BM25 hits per query; title matches count double. */
  private List<List<DpBench.Candidate>> bm25Candidates(List<String[]> texts, List<String> qs) throws IOException {
    try (Analyzer analyzer = new EnglishAnalyzer(); ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
        for (int i = 0; i < texts.size(); i++) {
          Document d = new Document();
          d.add(new StoredField("i", i));
          d.add(new TextField("title", texts.get(i)[0], Field.Store.NO));
          d.add(new TextField("description", texts.get(i)[1], Field.Store.NO));
          w.addDocument(d);
        }
      }
      List<List<DpBench.Candidate>> out = new ArrayList<>();
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        Map<Integer, Integer> docToItem = new HashMap<>();
        for (String q : qs) {
          BooleanQuery.Builder b = new BooleanQuery.Builder();
          for (String term : analyze(analyzer, q)) {
            b.add(new BoostQuery(new TermQuery(new Term("title", term)), 2f), BooleanClause.Occur.SHOULD);
            b.add(new TermQuery(new Term("description", term)), BooleanClause.Occur.SHOULD);
          }
          List<DpBench.Candidate> list = new ArrayList<>();
          for (ScoreDoc sd : searcher.search(b.build(), candidates).scoreDocs) {
            int item = docToItem.computeIfAbsent(sd.doc, doc -> {
              try {
                return searcher.storedFields().document(doc).getField("i").numericValue().intValue();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
            list.add(new DpBench.Candidate(item, sd.score));
          }
          out.add(list);
        }
      }
      return out;
    }
  }

  private static List<String> analyze(Analyzer analyzer, String text) throws IOException {
    List<String> terms = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("description", text)) {
      CharTermAttribute att = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(att.toString());
      }
      ts.end();
    }
    return terms;
  }
}
