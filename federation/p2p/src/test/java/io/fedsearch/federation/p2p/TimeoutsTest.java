package io.fedsearch.federation.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Timeouts}: deadlines fire, never early, off the ticking thread; dropped ones leave the queue, so a quiet
 * process has nothing queued and its thread sleeps instead of ticking.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimeoutsTest {

  @Test
  void aFutureNotCompletedInTimeFailsWithATimeoutNeverEarly() throws Exception {
    AtomicReference<Thread> failedOn = new AtomicReference<>();
    CompletableFuture<String> f = new CompletableFuture<>() {
      @Override
      public boolean completeExceptionally(Throwable ex) {
        failedOn.set(Thread.currentThread());
        return super.completeExceptionally(ex);
      }
    };
    long start = System.nanoTime();
    Timeouts.orTimeout(f, Duration.ofMillis(150));

    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("150 ms");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(tookMs).isGreaterThanOrEqualTo(150);
    // The future fails, and its dependent stages (a stream reset, say) start, on a virtual thread of the deadline's
    // own, not on the ticking thread that every other deadline waits for.
    assertThat(failedOn.get().isVirtual()).isTrue();
  }

  @Test
  void aFutureCompletedInTimeKeepsItsValue() throws Exception {
    CompletableFuture<String> f = new CompletableFuture<>();
    Timeouts.orTimeout(f, Duration.ofMillis(100));
    f.complete("answer");
    Thread.sleep(300); // well past the deadline: a dropped deadline must not fail or replace anything
    assertThat(f.get()).isEqualTo("answer");
    assertThat(f.isCompletedExceptionally()).isFalse();
  }

  @Test
  void droppedDeadlinesLeaveTheQueueSoAQuietProcessStopsTicking() {
    for (int i = 0; i < 100; i++) {
      CompletableFuture<String> f = new CompletableFuture<>();
      Timeouts.orTimeout(f, Duration.ofSeconds(60));
      f.complete("answered");
    }
    // Every deadline was dropped: the queue empties within a few ticks, long before any of them is due.
    await().atMost(Duration.ofSeconds(5)).until(() -> Timeouts.queued() == 0);
  }

  @Test
  void droppedDeadlinesDoNotPileUpBehindALiveOne() {
    CompletableFuture<String> live = new CompletableFuture<>();
    Timeouts.orTimeout(live, Duration.ofSeconds(60));
    for (int i = 0; i < 20_000; i++) {
      Timeouts.after(Duration.ofSeconds(60), () -> { }).cancel();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> Timeouts.queued() < 4096);
    assertThat(live.isDone()).isFalse();
    live.complete("answered");
    await().atMost(Duration.ofSeconds(5)).until(() -> Timeouts.queued() == 0);
  }

  @Test
  void aDeadlineBeyondAnyCallIsKeptNotOverflowed() throws Exception {
    CompletableFuture<String> f = new CompletableFuture<>();
    Timeouts.orTimeout(f, Duration.ofDays(365L * 1000)); // nanoseconds of that overflow a long
    Timeouts.Cancellable now = Timeouts.after(Duration.ofMillis(-5), () -> { }); // negative: due at once
    Thread.sleep(100);
    assertThat(f.isDone()).as("a deadline a millennium away has not fired").isFalse();
    now.cancel();
    f.complete("answered");
  }

  @Test
  void aDelayedActionRunsAfterItsDelayOnAVirtualThread() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    long start = System.nanoTime();
    Timeouts.after(Duration.ofMillis(120), () -> {
      ranOn.set(Thread.currentThread());
      ran.countDown();
    });
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(120);
    assertThat(ranOn.get().isVirtual()).isTrue();
  }

  @Test
  void aCancelledActionNeverRuns() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();
    Timeouts.Cancellable c = Timeouts.after(Duration.ofMillis(100), () -> ran.set(true));
    c.cancel();
    // A control action scheduled later than the cancelled one has run: the wheel went past the cancelled slot.
    CountDownLatch later = new CountDownLatch(1);
    Timeouts.after(Duration.ofMillis(300), later::countDown);
    assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).isFalse();
  }
}
