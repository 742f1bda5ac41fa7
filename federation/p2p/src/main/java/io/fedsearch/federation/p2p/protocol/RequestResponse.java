package io.fedsearch.federation.p2p.protocol;

import io.fedsearch.federation.p2p.Connection;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.Stream;
import io.fedsearch.federation.p2p.StreamHandler;
import io.fedsearch.federation.p2p.Timeouts;
import io.fedsearch.federation.p2p.mss.Multistream;
import io.fedsearch.federation.p2p.wire.LengthPrefixed;
import io.fedsearch.federation.p2p.wire.WireException;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One length-prefixed request and one length-prefixed response per stream, for fedsearch's own protocols. The
 * caller sends its request with the protocol proposal and half-closes; the server answers and half-closes. Sizes are bounded on both sides, and a
 * cancelled or timed-out call resets its stream.
 */
public final class RequestResponse {
  private final Host host;

  public RequestResponse(Host host) {
    this.host = host;
  }

  /** The server side: {@code (from, request) -> response}; throw to reset the stream. */
  @FunctionalInterface
  public interface Handler {
    byte[] respond(PeerId from, byte[] request) throws Exception;
  }

  /** Registers {@code handler} for {@code protocol}; requests above {@code maxRequestBytes} reset the stream. */
  public void handle(String protocol, int maxRequestBytes, Duration readTimeout, Handler handler) {
    host.addProtocolHandler(protocol, StreamHandler.readingFirst(s -> {
      s.setReadTimeout(readTimeout);
      byte[] request = LengthPrefixed.read(s.in(), maxRequestBytes);
      if (request == null) {
        throw new EOFException("stream closed before the request");
      }
      byte[] response = handler.respond(s.remotePeer(), request);
      s.writeAndClose(LengthPrefixed.frame(response)); // the answer and the half-close in one frame
    }));
  }

  /** {@link #handle(String, int, Duration, Handler)} with a 30 s read timeout. */
  public void handle(String protocol, int maxRequestBytes, Handler handler) {
    handle(protocol, maxRequestBytes, Duration.ofSeconds(30), handler);
  }

  /**
   * Sends {@code request} to {@code peer} and completes with the response (at most {@code maxResponseBytes}).
   * Completes exceptionally with {@link TimeoutException} after {@code timeout}; cancelling resets the stream.
   * The call runs on a thread of its own, which also runs the future's dependent stages.
   */
  public CompletableFuture<byte[]> call(PeerId peer, String protocol, byte[] request, int maxResponseBytes,
      Duration timeout) {
    return call(peer, protocol, request, maxResponseBytes, timeout, false);
  }

  /**
   * {@link #call}, sending from the calling thread and completing on the connection's reader thread as soon as the
   * whole response has arrived, when {@code peer} is connected and a fedsearch node: no thread is started or parked
   * per call (two thread hand-offs fewer per peer asked). Dependent stages then run on that reader thread, so they
   * must be quick and never block (decode, check, record): a federated search's fan-out. Otherwise as {@link #call}.
   */
  public CompletableFuture<byte[]> callInline(PeerId peer, String protocol, byte[] request, int maxResponseBytes,
      Duration timeout) {
    return call(peer, protocol, request, maxResponseBytes, timeout, true);
  }

  private CompletableFuture<byte[]> call(PeerId peer, String protocol, byte[] request, int maxResponseBytes,
      Duration timeout, boolean inline) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    AtomicReference<Stream> open = new AtomicReference<>();
    Optional<Connection> connected = inline && host.acceptsOptimisticSelect(peer) ? host.connection(peer)
        : Optional.empty();
    Thread worker = connected.isPresent() ? null : Thread.ofVirtual().name("p2p-call").start(() -> {
      try {
        if (result.isDone()) {
          return;
        }
        Stream s;
        if (host.acceptsOptimisticSelect(peer)) {
          // The request rides with the protocol proposal (optimistic multistream-select): one round trip, not two.
          s = host.dial(peer).newStreamSending(protocol, LengthPrefixed.frame(request), timeout.plusSeconds(1));
          open.set(s);
        } else {
          s = host.newStream(peer, protocol);
          open.set(s);
          s.writeAndClose(LengthPrefixed.frame(request));
        }
        if (result.isDone()) {
          s.reset();
          return;
        }
        s.setReadTimeout(timeout.plusSeconds(1)); // a backstop: the future's own timeout resets the stream first
        readResponse(s, peer, protocol, maxResponseBytes, result);
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
        Stream s = open.get();
        if (s != null) {
          s.reset();
        }
      }
    });
    if (connected.isPresent()) {
      try {
        Stream s = connected.get().newStreamSendingUnanswered(protocol, LengthPrefixed.frame(request));
        open.set(s);
        s.whenRemoteDone(() -> {
          if (s.remoteFinished()) { // all of it is here: reading cannot block the reader thread
            readAccepted(s, peer, protocol, maxResponseBytes, result);
          } else { // a long answer filled the window: it waits for the credit reading gives, so read elsewhere
            Thread.ofVirtual().name("p2p-call").start(() -> {
              s.setReadTimeout(timeout.plusSeconds(1));
              readAccepted(s, peer, protocol, maxResponseBytes, result);
            });
          }
        });
      } catch (IOException | RuntimeException e) { // the stream, if opened, was reset
        result.completeExceptionally(e);
      }
    }
    Timeouts.orTimeout(result, timeout).whenComplete((r, e) -> {
      if (e != null && !(e instanceof CompletionException)) {
        Stream s = open.get();
        if (s != null) {
          s.reset(); // cancelled or timed out: stop the remote's work and free the stream
        }
        if (worker != null) {
          worker.interrupt();
        }
      }
    });
    return result;
  }

  /** Reads the remote's multistream answer, then the response (see {@link Connection#newStreamSendingUnanswered}). */
  private static void readAccepted(Stream s, PeerId peer, String protocol, int maxResponseBytes,
      CompletableFuture<byte[]> result) {
    try {
      Multistream.awaitAccepted(s.in(), protocol);
      readResponse(s, peer, protocol, maxResponseBytes, result);
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(e);
      s.reset();
    }
  }

  private static void readResponse(Stream s, PeerId peer, String protocol, int maxResponseBytes,
      CompletableFuture<byte[]> result) throws IOException {
    byte[] response = LengthPrefixed.read(s.in(), maxResponseBytes);
    if (response == null) {
      throw new WireException(peer + " closed " + protocol + " without a response");
    }
    result.complete(response);
  }
}
