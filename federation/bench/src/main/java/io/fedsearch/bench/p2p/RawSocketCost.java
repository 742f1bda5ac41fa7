package io.fedsearch.bench.p2p;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;

/**
 * The baseline for {@link RequestCost}, measured in the same run: the same 1 KiB each way over one plain TCP
 * connection on loopback, one call at a time — no encryption, no multiplexing, no protocol selection, and the
 * answering side's reader answering itself (two thread wake-ups a call, the fewest a round trip between two threads
 * can have). What a fedsearch call costs above it is what the protocol stack adds; the rest is the kernel's.
 */
public final class RawSocketCost implements AutoCloseable {
  private final ServerSocket server;
  private final Thread echo;
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final byte[] message = new byte[RequestCost.MESSAGE_BYTES];
  private final byte[] back = new byte[RequestCost.MESSAGE_BYTES];

  private RawSocketCost() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    echo = Thread.ofPlatform().daemon().name("bench-raw-echo").start(this::echo);
    socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    new Random(3).nextBytes(message);
  }

  /** A connection to an echo thread, ready for {@link #call}s. */
  public static RawSocketCost open() throws IOException {
    return new RawSocketCost();
  }

  /** CPU and wall microseconds a call, {@code calls} calls at a time after as many unmeasured ones. */
  public static ObjectNode measure(int calls) throws IOException {
    try (RawSocketCost raw = open()) {
      return RequestCost.timed(calls, () -> {
        for (int i = 0; i < calls; i++) {
          raw.call();
        }
      });
    }
  }

  /** One round trip: 1 KiB out, the same 1 KiB back. */
  public void call() {
    try {
      out.write(message);
      in.readFully(back);
    } catch (IOException e) {
      throw new UncheckedIOException("raw socket round trip failed", e);
    }
  }

  private void echo() {
    try (Socket s = server.accept()) {
      s.setTcpNoDelay(true);
      DataInputStream from = new DataInputStream(s.getInputStream());
      OutputStream to = s.getOutputStream();
      byte[] buf = new byte[RequestCost.MESSAGE_BYTES];
      while (true) {
        from.readFully(buf);
        to.write(buf);
      }
    } catch (IOException e) {
      // the caller closed its end: done
    }
  }

  @Override
  public void close() throws IOException {
    try (server; socket) {
      echo.interrupt();
    }
  }
}
