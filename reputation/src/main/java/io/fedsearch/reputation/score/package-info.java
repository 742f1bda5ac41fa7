/**
 * Scores from signal rows: {@link io.fedsearch.reputation.score.SignalTable} holds rows as primitive columns,
 * {@link io.fedsearch.reputation.score.ScoreEngine} recomputes every creator (counting sort by creator, per-thread
 * scratch, no per-row objects) or explains one (per-platform contributions, the two signals).
 */
package io.fedsearch.reputation.score;
