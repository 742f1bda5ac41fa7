package io.fedsearch.web.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.indexer.entry.InvalidEntryException;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.bench.dp.DpBench;
import io.fedsearch.privacy.noise.NoiseRandom;
import io.fedsearch.privacy.release.Mechanism;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.signing.RecordSigner;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import picocli.CommandLine.Mixin;
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

  @Option(names = "--payments", defaultValue = "1000000",
      description = "Simulated purchases per epoch (volume per entry ∝ popularity; payments × epochs ≤ 200000000).")
  long payments;

  @Option(names = "--epochs", defaultValue = "30",
      description = "Epochs simulated and released one after another (continual release); scored after the last.")
  int epochs;

  @Option(names = "--creators", defaultValue = "8",
      description = "When the data names no creators: synthetic creators, one per this many entries on average"
          + " (Zipf-sized, seeded); 0 leaves entries without creator.")
  int entriesPerCreator;

  @Option(names = "--max-creators-per-payer", description = "Creator unit's L (default: the node default).")
  Integer maxCreators;

  @Option(names = "--tree-levels", description = "Levels of the continual-release tree (default: the node default).")
  Integer treeLevels;

  @Option(names = "--payer-pool", defaultValue = "3",
      description = "Returning payers as a multiple of one epoch's active payers (each active 1 epoch in this many).")
  double payerPool;

  @Option(names = "--creator-share", description = "Share of ε and δ for the creator unit (default: node default).")
  BigDecimal creatorShare;

  @Option(names = "--shrink", defaultValue = "1",
      description = "Noise standard deviations subtracted from a row when reading it (ranking uses 1).")
  double shrink;

  @Option(names = "--no-catalog-domain", description = "Release no key without partition selection (the catalog is"
      + " not used as a public domain).")
  boolean noCatalogDomain;

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

  @Option(names = "--repeats", defaultValue = "1",
      description = "Runs of the whole continual release per ε (figures are means).")
  int repeats;

  @Option(names = "--seed", defaultValue = "20251121", description = "Seed of the synthetic payments.")
  long seed;

  @Mixin
  JsonOption output;

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
    if (maxCreators != null) {
      base = base.withCreatorBounds(maxCreators, base.maxDropsPerCreator());
    }
    if (treeLevels != null) {
      base = base.withTreeLevels(treeLevels);
    }
    if (creatorShare != null) {
      base = base.withCreatorShare(creatorShare);
    }
    long t0 = System.nanoTime();
    List<DpBench.Item> items = new ArrayList<>();
    List<String[]> texts = new ArrayList<>();
    loadEntries(items, texts);
    List<List<DpBench.Candidate>> cands = bm25Candidates(texts, loadQueries());
    double prepSeconds = (System.nanoTime() - t0) / 1e9;

    NodeKey key = NodeKey.generate();
    RecordSigner signer = RecordSigner.of(key::sign, key.publicKey().bytes());
    boolean synthetic = items.stream().allMatch(i -> i.creator().isBlank()) && entriesPerCreator > 0;
    if (synthetic) {
      items = syntheticCreators(items, entriesPerCreator, seed);
    }
    DpBench.Report report = DpBench.run(items, cands, epsilons,
        new DpBench.Settings(payments, epochs, purchasesPerPayer, repeats, weight, seed, base, payerPool,
            !noCatalogDomain, shrink), signer,
        NoiseRandom.create());

    ObjectNode out = JSON.createObjectNode();
    out.put("bench", "dp");
    out.put("data", data.getFileName().toString());
    out.put("entries", report.items());
    out.put("queries", report.queries());
    out.put("epochs", report.epochs());
    out.put("payments", report.payments());
    out.put("payers", report.payers());
    out.put("cids_with_payments", report.cidsWithPayments());
    out.put("creators", synthetic ? "synthetic" : "data");
    out.put("creators_with_payments", report.creatorsWithPayments());
    out.put("mechanism", base.mechanism().wireName());
    out.put("delta", base.delta().toPlainString());
    out.put("creator_share", base.creatorShare().toPlainString());
    out.put("max_cids_per_payer", base.maxCidsPerPayer());
    out.put("max_drops_per_cid", base.maxDropsPerCid());
    out.put("max_creators_per_payer", base.maxCreatorsPerPayer());
    out.put("max_drops_per_creator", base.maxDropsPerCreator());
    out.put("tree_levels", base.treeLevels());
    out.put("payer_pool", payerPool);
    out.put("catalog_domain", !noCatalogDomain);
    out.put("shrink", shrink);
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
      o.put("released_fraction_creators", round(r.creatorsReleasedFraction()));
      o.put("released_volume_fraction", round(r.releasedVolumeFraction()));
      o.put("releases_per_s", round(r.releasesPerSecond()));
      o.put("threshold", r.threshold());
      o.put("creator_threshold", r.creatorThreshold());
      o.put("rows", r.meanRows());
      o.put("creator_rows", r.meanCreatorRows());
      ObjectNode by = o.putObject("ndcg10_by_epoch");
      r.ndcg10ByEpoch().forEach((e, v) -> by.put(Integer.toString(e), round(v)));
    }
    if (output.json()) {
      System.out.println(JSON.writeValueAsString(out));
    } else {
      System.out.printf("dp bench: %d entries, %d queries, %d epochs, %d payments by %d payers (%d CIDs and %d"
          + " creators paid), %s, L=%d C=%d, creators L=%d C=%d, %d tree levels%n", report.items(), report.queries(),
          report.epochs(), report.payments(), report.payers(), report.cidsWithPayments(),
          report.creatorsWithPayments(), base.mechanism().wireName(), base.maxCidsPerPayer(), base.maxDropsPerCid(),
          base.maxCreatorsPerPayer(), base.maxDropsPerCreator(), base.treeLevels());
      System.out.printf("baselines vs true-signal ranking: text only %.4f, bounded without noise %.4f%n",
          report.ndcg10TextOnly(), report.ndcg10BoundedNoNoise());
      for (DpBench.EpsilonResult r : report.results()) {
        System.out.printf("eps=%-5s ndcg10=%.4f released_fraction=%.4f creators=%.4f volume=%.4f threshold=%d/%d"
            + " releases_per_s=%.2f by_epoch=%s%n", r.epsilon(), r.ndcg10(), r.releasedFraction(),
            r.creatorsReleasedFraction(), r.releasedVolumeFraction(), r.threshold(), r.creatorThreshold(),
            r.releasesPerSecond(), r.ndcg10ByEpoch());
      }
    }
    return 0;
  }

  /**
   * Entries with synthetic creators: creator sizes Zipf-like (creator k gets weight 1/(k+1)), about {@code
   * perCreator} entries per creator on average, assigned by a seeded generator independent of popularity.
   */
  static List<DpBench.Item> syntheticCreators(List<DpBench.Item> items, int perCreator, long seed) {
    int creators = Math.max(1, items.size() / perCreator);
    double[] cumulative = new double[creators];
    double total = 0;
    for (int k = 0; k < creators; k++) {
      total += 1.0 / (k + 1);
      cumulative[k] = total;
    }
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed ^ 0x5DEECE66DL);
    List<DpBench.Item> out = new ArrayList<>(items.size());
    for (DpBench.Item i : items) {
      double u = rnd.nextDouble() * total;
      int k = java.util.Arrays.binarySearch(cumulative, u);
      k = k >= 0 ? k : Math.min(creators - 1, -k - 1);
      out.add(new DpBench.Item(i.cid(), i.popularity(), "creator-" + k));
    }
    return out;
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
        items.add(new DpBench.Item(entry.cid().toString(), popularity, entry.creator()));
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
