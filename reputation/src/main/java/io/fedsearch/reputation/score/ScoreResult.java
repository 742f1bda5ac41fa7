package io.fedsearch.reputation.score;

/** Scores of all creators of a table as of one epoch, indexed by creator index. */
public record ScoreResult(int epoch, float[] score, float[] lo, float[] hi, float[] evidence, ScoreEngine.Index index) {
  public int creators() {
    return score.length;
  }
}
