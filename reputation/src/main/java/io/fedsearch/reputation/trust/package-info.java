/**
 * Platform trust: EigenTrust over the platforms' payments to each other, seeded by pre-trusted platforms. Trust is
 * what keeps a platform that inflates its own releases from gaining more than its weight × the per-platform cap.
 */
package io.fedsearch.reputation.trust;
