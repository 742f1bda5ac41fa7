package io.fedsearch.federation.payments.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One channel as watched: {@code role} payer (we fund it) or payee (we are paid through it); {@code used} is the
 * cumulative amount authorised (payer) or accepted (payee); spend rate in drops/s over the spend window.
 */
public record ChannelMetrics(String id, String role, String status, boolean confirmed, String counterparty,
    long amount, long used, long remaining, double spendRate, Optional<Duration> timeToExhaustion, long unsettled,
    Optional<Instant> expiresAt, List<String> warnings) {}
