/**
 * The {@code fedsearch bench payouts} workloads: a simulated federation driven through the real payments code
 * ({@link io.fedsearch.bench.payments.PayoutsBenchmark}), and a month of purchases paid directly or
 * through hubs ({@link io.fedsearch.bench.payments.TopologyBenchmark}).
 */
package io.fedsearch.bench.payments;
