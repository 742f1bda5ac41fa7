/**
 * The release mechanism and the release record.
 *
 * <p>Per epoch: payment events become {@link io.fedsearch.privacy.release.Contribution}s (pseudonymous payer, CID,
 * drops); {@link io.fedsearch.privacy.release.ContributionBounder} bounds them (≤ L CIDs per payer, chosen
 * uniformly at random; ≤ C drops per CID); {@link io.fedsearch.privacy.release.Calibration} derives exact noise
 * scales, the partition-selection threshold and the budget from the {@link
 * io.fedsearch.privacy.release.ReleaseConfig}; {@link io.fedsearch.privacy.release.SignalMechanism} noises counts,
 * keeps CIDs whose noisy count clears the threshold and noises their sums. The rows become a {@link
 * io.fedsearch.privacy.release.SignalRelease} (canonical JSON, documented there), signed into a {@link
 * io.fedsearch.privacy.release.SignedRelease} (wire form, size limit, strict decode + verify).
 *
 * <p>Guarantee per release: (ε, δ)-DP with respect to adding or removing one payer's whole epoch of payments
 * (user-level, not payment-level). Laplace: counts ε/2 + sums ε/2, partition selection δ. Gaussian: ρ-zCDP for
 * counts and sums with ρ chosen so that conversion at δ/2 gives ε, partition selection δ/2. Derivations are in
 * {@link io.fedsearch.privacy.release.Calibration}.
 */
package io.fedsearch.privacy.release;
