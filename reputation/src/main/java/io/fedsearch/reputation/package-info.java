/**
 * Creator reputation for fedsearch: scores in [0, 100] with intervals, from the federation's differentially private
 * payment signals, weighted by EigenTrust over the platforms' payments, with signed attestations and an attack
 * harness.
 *
 * <h2>Pipeline</h2>
 * Releases ({@link io.fedsearch.reputation.model.SignalObservation} per CID,
 * {@link io.fedsearch.reputation.model.CreatorObservation} per creator) + CID → creator
 * ({@link io.fedsearch.reputation.model.CreatorDirectory}) + platform payments
 * ({@link io.fedsearch.reputation.model.PlatformEdge}) → {@link io.fedsearch.reputation.service.ReputationService}
 * (persists in {@code reputation.db}) → {@link io.fedsearch.reputation.trust.PlatformTrust} (weights) →
 * {@link io.fedsearch.reputation.score.ScoreEngine} (all scores, columnar) → lookups, reports, leaderboard,
 * {@link io.fedsearch.reputation.attest.Attestation}s.
 *
 * <h2>Model in one paragraph</h2>
 * A row credits {@code min(payers, sum / m)} (a payer counts once it paid m drops; more adds nothing); a creator's
 * (platform, epoch) counts its creator-unit row when the release has one (each payer once), else its best item fully
 * and its other items 1/L per payer, minus the release threshold; a running total counts per epoch of its window and
 * as if it summed at most two tree nodes; epochs
 * decay with half-life H and a platform's evidence is the mean of the creator's k best decayed epochs (the same
 * payers in more epochs add nothing); platforms weigh in by trust, capped, the best fully and the others at β_P;
 * {@code score = 100 X / (X + K)}, so a new identity scores 0 and each further payer is worth less. The module README
 * derives what a point costs an honest creator and each attacker.
 *
 * <h2>Why these choices resist manipulation</h2>
 * <ul>
 *   <li>sybils: every unit needs a distinct payer identity paying m drops, and one identity yields at most two units
 *       per window (creator unit) or under two per group (CID rows) — so a unit costs about half an identity;
 *   <li>collusion rings: the release's per-payer bound L caps what a ring where everyone gains can give each member;
 *   <li>malicious platforms: evidence is capped per platform and weighted by trust that only value paid by trusted
 *       platforms confers (fees accrued and never paid confer none);
 *   <li>whitewashing: the prior is the minimum score and scores are monotone, so a new identity never gains;
 *   <li>camouflage: cheap sales count pro rata and long build-ups add nothing beyond k epochs, then decay.
 * </ul>
 */
package io.fedsearch.reputation;
