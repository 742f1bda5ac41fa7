/**
 * What the node uses: {@link io.fedsearch.reputation.service.ReputationService} (ingest, recompute, lookup, report,
 * leaderboard, verify) and the JSON bodies of {@code /api/reputation} and {@code /api/attestations/verify}.
 */
package io.fedsearch.reputation.service;
