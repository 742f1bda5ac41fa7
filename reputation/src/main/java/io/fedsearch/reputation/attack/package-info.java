/**
 * The attack harness: a simulated federation with the Debian maintainers as the honest population, discrete
 * Laplace noise and partition selection on every released row, and five attacks (sybil farm, collusion ring,
 * malicious platform, whitewashing, camouflage), each searching its cheapest way to +10 points and compared with
 * the same creator's genuine buyers. Deterministic per seed. Simulation-side code: the node never runs it.
 */
package io.fedsearch.reputation.attack;
