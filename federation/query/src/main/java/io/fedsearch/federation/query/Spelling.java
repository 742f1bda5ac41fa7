package io.fedsearch.federation.query;

import io.fedsearch.indexer.index.EntryDocuments;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.search.SegmentedVocabulary;
import io.fedsearch.indexer.search.TermVocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;
import org.apache.lucene.util.automaton.CharacterRunAutomaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;

/**
 * "Did you mean": for the words of a query that no node of the federation has, the closest words that some node
 * does have — within two edits (a transposition counts as one), the most frequent across the federation first.
 *
 * <p>Candidates come from Lucene's own tools: {@link DirectSpellChecker} over this node's index, and a
 * {@link LevenshteinAutomata} run over the vocabularies the node already holds of its peers (fetched for exact
 * statistics, see {@link PeerVocabularies}), so no extra protocol or index is needed. Words are compared in their
 * indexed (analysed, stemmed) form; the caller shows the correction in a form people type.
 */
final class Spelling {
  static final int MAX_EDITS = 2;
  /**
   * Candidates share the typed word's first letter (Lucene's DirectSpellChecker default, applied to the peer
   * vocabularies too): people rarely mistype it, and it leaves about a twentieth of the vocabulary to run the
   * automaton over — the scan runs for every query that finds little, so its cost is a hot-path cost.
   */
  static final int MIN_PREFIX = 1;
  /** Words shorter than this are not corrected: two edits turn a three-letter word into almost anything. */
  static final int MIN_LENGTH = 4;
  private static final List<String> FIELDS = List.of(EntryDocuments.TITLE, EntryDocuments.DESCRIPTION);
  private static final Analyzer ANALYZER = EntryDocuments.analyzer();

  /** One word of the query: its analysed form and where the typed form stands in the query. */
  record Word(String term, int start, int end) {}

  /**
   * The query's words, and for each one nobody has, its best replacement (analysed form).
   *
   * @return the query as typed with only the replaced words changed
   */
  record Correction(String query, List<Word> words, Map<String, String> replaced) {
    String corrected() {
      StringBuilder out = new StringBuilder();
      int at = 0;
      for (Word w : words) {
        String r = replaced.get(w.term());
        if (r != null) {
          out.append(query, at, w.start()).append(r);
          at = w.end();
        }
      }
      return out.append(query.substring(at)).toString();
    }
  }

  private final EntryIndex local;
  private final PeerVocabularies peers;

  Spelling(EntryIndex local, PeerVocabularies peers) {
    this.local = local;
    this.peers = peers;
  }

  Optional<Correction> correct(String query) {
    List<Word> words = analyse(query);
    Collection<SegmentedVocabulary> vocabularies = peers.all();
    Map<String, String> replaced = new HashMap<>();
    for (Word w : words) {
      String t = w.term();
      if (t.length() < MIN_LENGTH || replaced.containsKey(t) || frequency(t, vocabularies) > 0) {
        continue;
      }
      best(t, vocabularies).ifPresent(c -> replaced.put(t, c));
    }
    return replaced.isEmpty() ? Optional.empty() : Optional.of(new Correction(query, words, Map.copyOf(replaced)));
  }

  private long frequency(String term, Collection<SegmentedVocabulary> vocabularies) {
    long df = local.withReader(r -> {
      long n = 0;
      for (String f : FIELDS) {
        n += docFreq(r, new Term(f, term));
      }
      return n;
    });
    for (SegmentedVocabulary v : vocabularies) {
      for (String f : FIELDS) {
        df += v.get(new io.fedsearch.indexer.search.QueryStats.TermKey(f, term)).docFreq();
      }
    }
    return df;
  }

  private static long docFreq(IndexReader r, Term t) {
    try {
      return r.docFreq(t);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The candidate with the fewest edits, then the most documents across the federation. */
  private Optional<String> best(String word, Collection<SegmentedVocabulary> vocabularies) {
    Map<String, long[]> candidates = new HashMap<>(); // term -> {edits, docFreq}
    CharacterRunAutomaton[] within = new CharacterRunAutomaton[MAX_EDITS + 1];
    LevenshteinAutomata lev = new LevenshteinAutomata(word, true);
    for (int d = 1; d <= MAX_EDITS; d++) {
      within[d] = new CharacterRunAutomaton(lev.toAutomaton(d));
    }
    DirectSpellChecker checker = new DirectSpellChecker();
    checker.setMaxEdits(MAX_EDITS);
    checker.setMinPrefix(MIN_PREFIX);
    local.withReader(r -> {
      for (String f : FIELDS) {
        try {
          for (SuggestWord s : checker.suggestSimilar(new Term(f, word), 5, r, SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX)) {
            long edits = within[1].run(s.string) ? 1 : 2;
            candidates.merge(s.string, new long[] {edits, s.freq}, (a, b) -> new long[] {a[0], a[1] + b[1]});
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return null;
    });
    for (SegmentedVocabulary v : vocabularies) {
      for (TermVocabulary segment : v.segments()) {
        for (String f : FIELDS) {
          segment.forEachTerm(f, (term, df) -> {
            if (Math.abs(term.length() - word.length()) > MAX_EDITS || term.charAt(0) != word.charAt(0)
                || term.equals(word) || !within[MAX_EDITS].run(term)) {
              return;
            }
            long edits = within[1].run(term) ? 1 : 2;
            candidates.merge(term, new long[] {edits, df}, (a, b) -> new long[] {Math.min(a[0], b[0]), a[1] + b[1]});
          });
        }
      }
    }
    return candidates.entrySet().stream()
        .min((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(a.getValue()[0], b.getValue()[0])
            : a.getValue()[1] != b.getValue()[1] ? Long.compare(b.getValue()[1], a.getValue()[1])
            : a.getKey().compareTo(b.getKey()))
        .map(Map.Entry::getKey);
  }

  /** The query's words as the index holds them (lower-cased, stemmed), in order, with where each was typed. */
  static List<Word> analyse(String query) {
    List<Word> out = new ArrayList<>();
    try (TokenStream ts = ANALYZER.tokenStream(EntryDocuments.TITLE, query)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      while (ts.incrementToken() && out.size() < 16) {
        out.add(new Word(term.toString(), offset.startOffset(), offset.endOffset()));
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
