/**
 * The {@code fedsearch bench payouts} workloads: a simulated federation driven through the real payments code
 * ({@link io.fedsearch.federation.payments.bench.PayoutsBenchmark}), and a month of purchases paid directly or
 * through hubs ({@link io.fedsearch.federation.payments.bench.TopologyBenchmark}).
 */
package io.fedsearch.federation.payments.bench;
