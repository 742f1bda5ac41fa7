/**
 * Watching payments: per-channel metrics and warnings, and a deliberately simple anomaly check whose findings hold
 * the serving node's payouts with a human-readable reason until an operator releases them.
 */
package io.fedsearch.federation.payments.watch;
