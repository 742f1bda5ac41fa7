package io.fedsearch.federation.p2p.mux;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Control frames a {@link YamuxSession} owes the remote — our keepalive ping, the ACK of the remote's ping, the RST
 * of a stream we refused — sent by at most one virtual thread at a time, so that neither the session's reader nor
 * the host's timer ever waits on the connection's write lock. What is owed is bounded whatever the remote sends: one
 * ping ACK (a newer ping replaces the value of one not yet answered), one ping of ours, and at most
 * {@value #MAX_RESETS} refusals; a remote that makes us owe more is not reading what we send, and is cut.
 */
final class ControlFrames {
  static final int MAX_RESETS = 256;

  private final YamuxSession session;
  private long pingAck = -1;
  private long ping = -1;
  private final ArrayDeque<Integer> resets = new ArrayDeque<>();
  private boolean draining;

  ControlFrames(YamuxSession session) {
    this.session = session;
  }

  /** Owes an ACK of the remote's ping {@code value}, replacing one not yet sent. */
  synchronized void ackPing(long value) {
    pingAck = value;
    kick();
  }

  synchronized void ping(long value) {
    ping = value;
    kick();
  }

  /** Owes a RST for refused stream {@code id}; false (nothing queued) when {@value #MAX_RESETS} are owed already. */
  synchronized boolean reset(int id) {
    if (resets.size() >= MAX_RESETS) {
      return false;
    }
    resets.add(id);
    kick();
    return true;
  }

  private void kick() {
    if (!draining) {
      draining = true;
      Thread.ofVirtual().name("yamux-control").start(this::drain);
    }
  }

  private void drain() {
    while (true) {
      int type;
      int flags;
      int id = 0;
      long length = 0;
      synchronized (this) {
        if (ping >= 0) {
          type = YamuxFrame.PING;
          flags = YamuxFrame.SYN;
          length = ping;
          ping = -1;
        } else if (pingAck >= 0) {
          type = YamuxFrame.PING;
          flags = YamuxFrame.ACK;
          length = pingAck;
          pingAck = -1;
        } else if (!resets.isEmpty()) {
          type = YamuxFrame.WINDOW_UPDATE;
          flags = YamuxFrame.RST;
          id = resets.poll();
        } else {
          draining = false;
          return;
        }
      }
      try {
        session.send(type, flags, id, length);
      } catch (IOException e) {
        synchronized (this) {
          resets.clear();
          ping = -1;
          pingAck = -1;
          draining = false;
        }
        session.close("cannot send control frame: " + e.getMessage(), false);
        return;
      }
    }
  }
}
