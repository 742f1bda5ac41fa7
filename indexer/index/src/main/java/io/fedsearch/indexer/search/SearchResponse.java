package io.fedsearch.indexer.search;

import java.util.List;

/**
 * Hits ordered by score descending, ties by CID text ascending (the same order on every node, so merged results are
 * deterministic); {@code stats} when requested.
 */
public record SearchResponse(long totalHits, List<SearchHit> hits, QueryStats stats, long tookMicros) {}
