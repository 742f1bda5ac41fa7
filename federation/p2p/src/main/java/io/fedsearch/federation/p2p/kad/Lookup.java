package io.fedsearch.federation.p2p.kad;

import io.fedsearch.federation.p2p.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One iterative Kademlia lookup: keep up to alpha requests in flight to the closest peers not yet asked, learn closer
 * peers from each answer, and stop when the k closest known peers have all answered (or failed), when
 * {@code done} says enough was found, or at the deadline.
 */
final class Lookup {
  private enum State { NEW, ASKED, ANSWERED, FAILED }

  private record Outcome(PeerId peer, KadMessage reply) {}

  private final KadKey target;
  private final int k;
  private final int alpha;
  private final Function<PeerId, KadMessage> ask;
  private final Predicate<KadMessage> done;
  private final PeerId self;

  Lookup(byte[] key, int k, int alpha, PeerId self, Function<PeerId, KadMessage> ask, Predicate<KadMessage> done) {
    this.target = KadKey.of(key);
    this.k = k;
    this.alpha = alpha;
    this.self = self;
    this.ask = ask;
    this.done = done;
  }

  /** Runs the lookup from {@code seeds}; returns the closest peers that answered, nearest first. */
  List<PeerId> run(List<PeerId> seeds, Duration timeout) {
    Comparator<KadKey> cmp = KadKey.byDistanceTo(target);
    TreeMap<KadKey, PeerId> byDistance = new TreeMap<>(cmp);
    Map<PeerId, State> state = new HashMap<>();
    LinkedBlockingQueue<Outcome> results = new LinkedBlockingQueue<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    int inFlight = 0;
    for (PeerId p : seeds) {
      if (!p.equals(self) && state.putIfAbsent(p, State.NEW) == null) {
        byDistance.put(KadKey.of(p.bytes()), p);
      }
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      boolean finished = false;
      while (!finished) {
        int considered = 0;
        for (PeerId p : byDistance.values()) {
          if (inFlight >= alpha || considered >= k) {
            break;
          }
          State s = state.get(p);
          if (s == State.FAILED) {
            continue;
          }
          considered++;
          if (s == State.NEW) {
            state.put(p, State.ASKED);
            inFlight++;
            pool.submit(() -> {
              KadMessage reply = null;
              try {
                reply = ask.apply(p);
              } finally {
                results.add(new Outcome(p, reply));
              }
            });
          }
        }
        if (inFlight == 0) {
          break;
        }
        long left = deadline - System.nanoTime();
        Outcome o = left <= 0 ? null : results.poll(left, TimeUnit.NANOSECONDS);
        if (o == null) {
          break;
        }
        inFlight--;
        if (o.reply() == null) {
          state.put(o.peer(), State.FAILED);
          continue;
        }
        state.put(o.peer(), State.ANSWERED);
        for (KadMessage.Peer cp : o.reply().closerPeers()) {
          if (!cp.id().equals(self) && state.putIfAbsent(cp.id(), State.NEW) == null) {
            byDistance.put(KadKey.of(cp.id().bytes()), cp.id());
          }
        }
        finished = done.test(o.reply());
      }
      pool.shutdownNow(); // abandon stragglers: their requests end by their own timeout
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<PeerId> out = new ArrayList<>();
    for (PeerId p : byDistance.values()) {
      if (state.get(p) == State.ANSWERED && out.size() < k) {
        out.add(p);
      }
    }
    return out;
  }
}
