package io.fedsearch.indexer.search;

import io.fedsearch.indexer.entry.SignedEntry;

/** One result: BM25 score (comparable across shards when searched with global statistics) and the signed entry. */
public record SearchHit(float score, SignedEntry entry) {}
