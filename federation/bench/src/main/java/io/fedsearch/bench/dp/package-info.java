/**
 * The privacy half of {@code fedsearch bench dp} (the text-relevance half, Lucene BM25, lives in the web CLI):
 * simulated payments, releases at several ε through the production mechanism, and NDCG@10 of signal-aware ranking
 * against the true signal. See {@link io.fedsearch.bench.dp.DpBench} for the formulas.
 */
package io.fedsearch.bench.dp;
