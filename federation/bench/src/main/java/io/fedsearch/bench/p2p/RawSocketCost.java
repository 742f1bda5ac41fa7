package io.fedsearch.bench.p2p;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
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
public final class RawSocketCost {
  private RawSocketCost() {}

  /** CPU and wall microseconds a call, {@code calls} calls after as many unmeasured ones. */
  public static ObjectNode measure(int calls) throws IOException {
    int size = RequestCost.MESSAGE_BYTES;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread echo = Thread.ofPlatform().daemon().name("bench-raw-echo").start(() -> {
        try (Socket s = server.accept()) {
          s.setTcpNoDelay(true);
          DataInputStream in = new DataInputStream(s.getInputStream());
          OutputStream out = s.getOutputStream();
          byte[] buf = new byte[size];
          while (true) {
            in.readFully(buf);
            out.write(buf);
          }
        } catch (IOException e) {
          // the caller closed its end: done
        }
      });
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        s.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        byte[] message = new byte[size];
        new Random(3).nextBytes(message);
        byte[] back = new byte[size];
        return RequestCost.timed(calls, () -> run(in, out, message, back, calls));
      } finally {
        echo.interrupt();
      }
    }
  }

  private static void run(DataInputStream in, OutputStream out, byte[] message, byte[] back, int calls)
      throws IOException {
    for (int i = 0; i < calls; i++) {
      out.write(message);
      in.readFully(back);
    }
  }
}
