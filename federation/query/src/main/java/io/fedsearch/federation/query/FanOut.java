package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.Timeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one request to every target under a deadline. A target's replicas hedge it: asked when the first peer
 * fails, or has not answered after the hedge delay; the first good answer wins and the other call is cancelled.
 * At the deadline every outstanding call is cancelled (which resets its stream): a late answer never holds the
 * user up. Standing is updated from what each peer did.
 */
final class FanOut {
  /**
   * Asks one peer; the future completes with its decoded answer. Cancelling it must abandon the call. {@code wire}
   * is the request already encoded (once per fan-out, not once per peer).
   */
  interface Asker {
    CompletableFuture<QueryWire.Response> ask(PeerId peer, QueryWire.Request request, byte[] wire, Duration timeout);

    /**
     * Whether {@code peer} is answered in this process, on the asking thread (the node itself): it is asked after
     * every other target, so that its search runs while theirs do.
     */
    default boolean local(PeerId peer) {
      return false;
    }
  }

  /** What a target gave: the answer (null if none), who gave it, how long it took, what went wrong. */
  record Outcome(IndexPeers.Target target, PeerId answeredBy, QueryWire.Response response, double tookMs,
      boolean hedged, String status, String error) {
    boolean ok() {
      return response != null;
    }
  }

  private final Asker asker;
  private final PeerStanding standing;

  FanOut(Asker asker, PeerStanding standing) {
    this.asker = asker;
    this.standing = standing;
  }

  Map<IndexPeers.Target, Outcome> run(List<IndexPeers.Target> targets, QueryWire.Request request, Instant deadline,
      Duration hedgeAfter) {
    Map<IndexPeers.Target, TargetCall> calls = new java.util.HashMap<>();
    byte[] wire = QueryWire.encode(request);
    for (IndexPeers.Target t : targets) {
      if (!asker.local(t.primary())) {
        calls.put(t, new TargetCall(t, request, wire, deadline, hedgeAfter));
      }
    }
    for (IndexPeers.Target t : targets) {
      if (asker.local(t.primary())) {
        calls.put(t, new TargetCall(t, request, wire, deadline, hedgeAfter));
      }
    }
    CompletableFuture<?> all = CompletableFuture.allOf(calls.values().stream().map(c -> c.done).toArray(CompletableFuture[]::new));
    long waitNanos = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
    try {
      all.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // some targets missed the deadline or failed: their outcomes say which
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Map<IndexPeers.Target, Outcome> out = new LinkedHashMap<>();
    Instant now = Instant.now();
    for (IndexPeers.Target t : targets) { // in the targets' order, whichever was asked first
      out.put(t, calls.get(t).finish(now));
    }
    return out;
  }

  private final class TargetCall {
    final IndexPeers.Target target;
    final QueryWire.Request request;
    final byte[] wire;
    final Instant deadline;
    final long start = System.nanoTime();
    final CompletableFuture<Outcome> done = new CompletableFuture<>();
    final Map<PeerId, CompletableFuture<QueryWire.Response>> inFlight = new ConcurrentHashMap<>();
    final List<String> errors = new ArrayList<>();
    int nextReplica;

    TargetCall(IndexPeers.Target target, QueryWire.Request request, byte[] wire, Instant deadline,
        Duration hedgeAfter) {
      this.target = target;
      this.request = request;
      this.wire = wire;
      this.deadline = deadline;
      ask(target.primary(), false);
      if (!target.replicas().isEmpty()) {
        Timeouts.Cancellable slow = Timeouts.after(hedgeAfter, () -> hedge("slow"));
        done.whenComplete((o, e) -> slow.cancel());
      }
    }

    private synchronized void hedge(String why) {
      if (done.isDone() || nextReplica >= target.replicas().size()) {
        return;
      }
      ask(target.replicas().get(nextReplica++), true);
    }

    private void ask(PeerId peer, boolean hedge) {
      Duration left = Duration.between(Instant.now(), deadline);
      if (left.isNegative() || left.isZero()) {
        return;
      }
      CompletableFuture<QueryWire.Response> f = asker.ask(peer, request, wire, left);
      inFlight.put(peer, f);
      f.whenComplete((r, e) -> completed(peer, hedge, r, e));
    }

    /**
     * Accounts for one finished call. Exactly one side does: whoever removes it from inFlight (this, or finish() at
     * the deadline); without that a call timing out just as the deadline passed counted twice. Both hold this
     * object's lock, so an outcome finish() returns is never ahead of the standing the call's completion records.
     */
    private synchronized void completed(PeerId peer, boolean hedge, QueryWire.Response r, Throwable e) {
      double ms = (System.nanoTime() - start) / 1e6;
      if (inFlight.remove(peer) == null) {
        return;
      }
      if (e == null) {
        standing.answered(peer, r.platform(), r.replicaSet(), ms);
        if (done.complete(new Outcome(target, peer, r, ms, hedge, "ok", null))) {
          cancelOthers();
        }
        return;
      }
      Throwable cause = unwrap(e);
      if (cause instanceof CancellationException) {
        return;
      }
      boolean timeout = cause instanceof TimeoutException;
      boolean busy = cause instanceof QueryWire.PeerBusyException;
      String msg = timeout ? "timed out" : busy ? cause.getMessage() : describe(cause);
      if (timeout) {
        standing.timedOut(peer, Instant.now());
      } else if (busy) {
        standing.busy(peer, msg, Instant.now());
      } else {
        standing.failed(peer, msg, Instant.now());
      }
      errors.add(peer + ": " + msg);
      if (nextReplica < target.replicas().size()) {
        // not on this thread: a call's completion may run on a connection's reader thread, which must not write
        Thread.ofVirtual().name("fanout-hedge").start(() -> failOver(ms, hedge, timeout));
        return;
      }
      failIfNoneLeft(ms, hedge, timeout);
    }

    /** Asks the next replica after a failure, or gives up when none is left to ask. */
    private synchronized void failOver(double ms, boolean hedge, boolean timeout) {
      hedge("failed");
      failIfNoneLeft(ms, hedge, timeout);
    }

    private void failIfNoneLeft(double ms, boolean hedge, boolean timeout) {
      if (inFlight.isEmpty() && !done.isDone() && nextReplica >= target.replicas().size()) {
        done.complete(new Outcome(target, null, null, ms, hedge, timeout ? "timeout" : "error",
            String.join("; ", errors)));
      }
    }

    private void cancelOthers() {
      inFlight.values().forEach(f -> f.cancel(true));
      inFlight.clear();
    }

    /** At the deadline: what we have, or a timeout naming every peer still outstanding. */
    synchronized Outcome finish(Instant now) {
      if (done.isDone()) {
        return done.join();
      }
      List<PeerId> late = new ArrayList<>();
      for (PeerId p : List.copyOf(inFlight.keySet())) {
        CompletableFuture<QueryWire.Response> f = inFlight.remove(p);
        if (f != null) {
          late.add(p);
          f.cancel(true);
        }
      }
      for (PeerId p : late) {
        standing.timedOut(p, now);
      }
      double ms = (System.nanoTime() - start) / 1e6;
      List<String> all = new ArrayList<>(errors);
      late.forEach(p -> all.add(p + ": no answer before the deadline"));
      String error = String.join("; ", all);
      Outcome o = new Outcome(target, null, null, ms, nextReplica > 0, "timeout", error);
      done.complete(o);
      return o;
    }
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
