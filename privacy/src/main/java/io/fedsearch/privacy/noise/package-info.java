/**
 * Exact discrete noise for differential privacy, hand-written after Canonne, Kamath &amp; Steinke, "The Discrete
 * Gaussian for Differential Privacy" (NeurIPS 2020).
 *
 * <p>Why exact: floating-point Laplace/Gaussian samplers leak through the gaps and rounding of their outputs
 * (Mironov, CCS 2012), so no release path here touches a float. Every parameter is a {@link
 * io.fedsearch.privacy.noise.Ratio} of {@link java.math.BigInteger}s, and the only randomness consumed is uniform
 * integers and bits from a {@link java.security.SecureRandom}:
 *
 * <ul>
 *   <li>{@link io.fedsearch.privacy.noise.ExactBernoulli}: Bernoulli(n/d) by one uniform integer below d, and
 *       Bernoulli(exp(-γ)) by CKS Algorithm 1 (for γ ≤ 1: the index of the first failure of Bernoulli(γ/k),
 *       k = 1, 2, …, is odd with probability exp(-γ); for γ &gt; 1 one Bernoulli(exp(-1)) per unit of γ).
 *   <li>{@link io.fedsearch.privacy.noise.DiscreteLaplace}: CKS Algorithm 2 for scale t/s.
 *   <li>{@link io.fedsearch.privacy.noise.DiscreteGaussian}: CKS Algorithm 3, rejection from a discrete Laplace.
 * </ul>
 *
 * <p>Why hand-written: no library reachable from this build (Tink, the JDK, Apache Commons Math) offers exact
 * discrete samplers; Google's differential-privacy Java library uses secure-noise floating-point sampling and is
 * not in the build. The three algorithms are short and are tested against their exact probability mass functions.
 */
package io.fedsearch.privacy.noise;
