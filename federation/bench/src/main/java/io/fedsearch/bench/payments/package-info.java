/** The {@code fedsearch bench payouts} workload: a simulated federation driven through the real payments code. */
package io.fedsearch.bench.payments;
