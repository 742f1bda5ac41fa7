package io.fedsearch.federation.payments.payer;

import io.fedsearch.federation.payments.channel.ChannelTerms;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/** What {@link PayerChannels} knows of one channel it pays into (fields guarded by {@link #lock}). */
final class PayerChannel {
  /**
   * Guards the fields below. A lock rather than the object's monitor: a claim is made durable (fsync) while it is
   * held, which inside a monitor would pin a virtual thread to its carrier.
   */
  final ReentrantLock lock = new ReentrantLock();
  ChannelTerms terms;
  String status;
  String peer;
  long authorised;
  String lastSig;
  Instant openedAt;
  Instant lastClaimAt;
  SpendRate spend;
}
