package io.fedsearch.federation.query;

import io.fedsearch.core.cbor.CborMap;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryLimits;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.indexer.index.EntryIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@value #PROTOCOL}: one entry by its CID, from whichever node serves it — so any node can show any entry of the
 * federation (a shared permalink), not only the node that hosts it.
 *
 * <p>Request: DAG-CBOR {@code {v: 1, c: <CID bytes>}} (at most {@value #MAX_REQUEST_BYTES} bytes). Response:
 * {@code {v: 1, b: <entry block>, s: <signature>}} when the node serves a live entry with that CID, else
 * {@code {v: 1}}. The asker trusts nothing in it: the block must hash to the CID it asked for and the signature must
 * verify under the answering peer's own identity key (the key its Noise handshake proved), as for search hits.
 */
public final class EntryFetch {
  public static final String PROTOCOL = "/fedsearch/entry/1.0.0";
  static final int VERSION = 1;
  static final int MAX_REQUEST_BYTES = 256;
  static final int MAX_RESPONSE_BYTES = EntryLimits.MAX_BLOCK_BYTES + 1024;
  /** How long a permalink waits for the federation before saying no node serves the entry. */
  public static final Duration DEADLINE = Duration.ofSeconds(2);
  /** At most this many peers are asked at once for one entry. */
  static final int MAX_ASKED = 32;
  private static final Logger LOG = Logger.getLogger(EntryFetch.class.getName());

  /** A verified entry and the peer that served it. */
  public record Found(SignedEntry entry, PeerId peer) {}

  private final RequestResponse rr;
  /** Calls to peers that failed or did not answer in time (metrics: peers that cannot serve entries). */
  private final LongAdder failedCalls = new LongAdder();

  public EntryFetch(RequestResponse rr) {
    this.rr = rr;
  }

  /** Answers other nodes' requests from {@code index}. */
  public void serve(EntryIndex index) {
    rr.handle(PROTOCOL, MAX_REQUEST_BYTES, (from, request) -> {
      Cid cid = decodeRequest(request);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("v", (long) VERSION);
      index.get(cid).filter(s -> s.entry() != null).ifPresent(s -> {
        m.put("b", s.entry().entry().encode());
        m.put("s", s.entry().signature());
      });
      return DagCbor.encode(m);
    });
  }

  /**
   * Asks {@code peers} (at most {@value #MAX_ASKED}) at once and returns the first answer that verifies, or empty
   * when none does within {@code deadline}. A peer that answers with a forgery is logged and ignored.
   */
  public Optional<Found> fetch(Cid cid, Collection<PeerId> peers, Duration deadline) {
    byte[] request = encodeRequest(cid);
    List<CompletableFuture<Optional<Found>>> calls = new ArrayList<>();
    for (PeerId p : peers) {
      if (calls.size() == MAX_ASKED) {
        break;
      }
      calls.add(rr.call(p, PROTOCOL, request, MAX_RESPONSE_BYTES, deadline)
          .thenApply(bytes -> verified(cid, p, bytes))
          .exceptionally(e -> failed(cid, p, e)));
    }
    CompletableFuture<Optional<Found>> first = new CompletableFuture<>();
    for (CompletableFuture<Optional<Found>> c : calls) {
      c.thenAccept(f -> f.ifPresent(found -> first.complete(Optional.of(found))));
    }
    // When every call is done: whatever they found, not simply "nothing" — which of a finished call's dependent
    // stages runs first (this one or the one above) is the JDK's business, and must not decide the answer.
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenRun(() -> first.complete(
        calls.stream().map(c -> c.getNow(Optional.empty())).flatMap(Optional::stream).findFirst()));
    try {
      return first.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      calls.forEach(c -> c.cancel(true));
    }
  }

  /** A peer that could not be asked, or did not answer in time: logged (one line) so an operator can tell which. */
  private Optional<Found> failed(Cid cid, PeerId peer, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (!(cause instanceof CancellationException)) { // cancelled: another peer answered first
      failedCalls.increment();
      LOG.info(() -> "event=entry_fetch_failed peer=" + peer + " cid=" + cid + " reason=\""
          // a message may carry the peer's own words: one line, whatever they hold
          + String.valueOf(cause.getMessage()).replace('"', '\'').replace('\n', ' ').replace('\r', ' ')
          + "\" error=" + cause.getClass().getSimpleName());
    }
    return Optional.empty();
  }

  /** Calls to peers for an entry that failed or timed out, since start. */
  public long failedCalls() {
    return failedCalls.sum();
  }

  private static Optional<Found> verified(Cid asked, PeerId peer, byte[] response) {
    CborMap m = QueryWire.map(response, MAX_RESPONSE_BYTES, "entry response");
    QueryWire.version(m, VERSION);
    if (!(m.raw("b") instanceof byte[]) || !(m.raw("s") instanceof byte[])) {
      return Optional.empty(); // the peer does not serve it
    }
    byte[] block = m.bytes("b", MAX_RESPONSE_BYTES);
    byte[] signature = m.bytes("s", 2 * NodePublicKey.SIGNATURE_LENGTH);
    NodePublicKey signer = peer.publicKey().orElse(null);
    try {
      Entry e = Entry.fromBlock(block);
      SignedEntry s = new SignedEntry(e, e.cid(), signature, signer);
      if (signer != null && e.cid().equals(asked) && s.verify()) {
        return Optional.of(new Found(s, peer));
      }
    } catch (IllegalArgumentException e) {
      // malformed: counted as a forgery below
    }
    LOG.log(Level.WARNING, () -> "event=forged_entry peer=" + peer + " cid=" + asked
        + " reason=\"block does not hash to the CID asked for, or the signature is not the peer's\"");
    return Optional.empty();
  }

  static byte[] encodeRequest(Cid cid) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", (long) VERSION);
    m.put("c", cid.bytes());
    return DagCbor.encode(m);
  }

  static Cid decodeRequest(byte[] bytes) {
    CborMap m = QueryWire.map(bytes, MAX_REQUEST_BYTES, "entry request");
    QueryWire.version(m, VERSION);
    byte[] c = m.bytes("c", MAX_REQUEST_BYTES);
    try {
      return Cid.fromBytes(c);
    } catch (IllegalArgumentException e) {
      throw new QueryProtocolException("c: " + e.getMessage());
    }
  }
}
