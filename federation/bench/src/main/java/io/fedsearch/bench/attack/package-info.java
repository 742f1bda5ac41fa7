/**
 * The attack harness: a simulated federation with the Debian maintainers as the honest population, releases as the
 * privacy module makes them (the creator unit with continual release, or CID rows; the privacy module's exact
 * discrete Laplace noise and partition selection), and seven attacks (sybil farm, collusion ring, malicious platform
 * inflating its release, whitewashing, camouflage, free identities on unconfirmed channels, trust from fees never
 * paid), each searching its cheapest way to +10 points and compared with the same creator's genuine buyers.
 * Deterministic per seed. Simulation-side code: the node never runs it.
 */
package io.fedsearch.bench.attack;
