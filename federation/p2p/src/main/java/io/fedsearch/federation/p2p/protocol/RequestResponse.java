package io.fedsearch.federation.p2p.protocol;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.Stream;
import io.fedsearch.federation.p2p.StreamHandler;
import io.fedsearch.federation.p2p.wire.LengthPrefixed;
import io.fedsearch.federation.p2p.wire.WireException;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
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
   */
  public CompletableFuture<byte[]> call(PeerId peer, String protocol, byte[] request, int maxResponseBytes,
      Duration timeout) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    AtomicReference<Stream> open = new AtomicReference<>();
    Thread worker = Thread.ofVirtual().name("p2p-call").start(() -> {
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
        byte[] response = LengthPrefixed.read(s.in(), maxResponseBytes);
        if (response == null) {
          throw new WireException(peer + " closed " + protocol + " without a response");
        }
        result.complete(response);
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
        Stream s = open.get();
        if (s != null) {
          s.reset();
        }
      }
    });
    result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
      if (e != null && !(e instanceof CompletionException)) {
        Stream s = open.get();
        if (s != null) {
          s.reset(); // cancelled or timed out: stop the remote's work and free the stream
        }
        worker.interrupt();
      }
    });
    return result;
  }
}
