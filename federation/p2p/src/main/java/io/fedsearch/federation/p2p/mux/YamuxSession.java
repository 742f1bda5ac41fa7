package io.fedsearch.federation.p2p.mux;

import io.fedsearch.federation.p2p.crypto.SecureChannel;
import io.fedsearch.federation.p2p.wire.WireException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A yamux session ({@code /yamux/1.0.0}) over a {@link SecureChannel}. The TCP dialer is the client (odd stream
 * ids). One reader thread runs {@link #run()}; any thread may open streams and write. A protocol violation by the
 * remote ends the session with GoAway(1) and a logged reason.
 */
public final class YamuxSession implements Runnable {
  public static final int INITIAL_WINDOW = 256 * 1024;
  private static final long GO_AWAY_WAIT_MILLIS = 200;
  /**
   * Pings a remote may send per second. Keepalives come every few seconds; a flood costs this host a decryption and
   * an answer per ping, so a peer beyond this is cut (as HTTP/2 servers cut ping floods).
   */
  public static final int MAX_PINGS_PER_SECOND = 100;
  /**
   * Frames per second that change nothing — an empty window update, a frame for a stream that is not open — a
   * remote may send. Some happen in any busy connection (a frame that crossed our RST or the stream's close, one
   * per stream at most a few); tens of thousands a second are a flood.
   */
  public static final int MAX_IDLE_FRAMES_PER_SECOND = 10_000;
  private static final Logger LOG = Logger.getLogger(YamuxSession.class.getName());

  private final SecureChannel channel;
  private final LongAdder framesSent = new LongAdder();
  private final boolean client;
  private final int maxStreams;
  private final long maxWindow;
  private final Consumer<YamuxStream> onInbound;
  private final Consumer<String> onClose;
  private final ConcurrentHashMap<Integer, YamuxStream> streams = new ConcurrentHashMap<>();
  private final AtomicInteger nextId;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean remoteGoAway;
  private volatile long rttNanos;
  private volatile long pingSentNanos;
  private volatile int pingOutstanding = -1;
  private final AtomicInteger pingCounter = new AtomicInteger();
  private volatile String closeReason;
  private final ControlFrames control = new ControlFrames(this);
  private long pingWindowStart = System.nanoTime(); // reader thread only
  private int pingsInWindow;
  private long idleWindowStart = System.nanoTime(); // reader thread only
  private int idleInWindow;

  /**
   * @param onInbound called on the reader thread for each new inbound stream; must hand it off quickly
   * @param onClose called once with the reason when the session ends
   */
  public YamuxSession(SecureChannel channel, boolean client, int maxStreams, long maxWindow,
      Consumer<YamuxStream> onInbound, Consumer<String> onClose) {
    this.channel = channel;
    this.client = client;
    this.maxStreams = maxStreams;
    this.maxWindow = Math.max(INITIAL_WINDOW, maxWindow);
    this.onInbound = onInbound;
    this.onClose = onClose;
    this.nextId = new AtomicInteger(client ? 1 : 2);
  }

  long maxWindow() {
    return maxWindow;
  }

  /** Round-trip time measured by the last keepalive ping, 0 before the first answer. */
  public long rttNanos() {
    return rttNanos;
  }

  public boolean isOpen() {
    return !closed.get();
  }

  public int streamCount() {
    return streams.size();
  }

  /** Opens an outbound stream; its SYN rides on its first frame. */
  public YamuxStream open() throws IOException {
    if (closed.get()) {
      throw new IOException("connection closed" + (closeReason == null ? "" : ": " + closeReason));
    }
    if (remoteGoAway) {
      throw new IOException("remote sent GoAway; no new streams");
    }
    if (streams.size() >= maxStreams) {
      throw new IOException("too many streams on this connection (" + maxStreams + ")");
    }
    int id = nextId.getAndAdd(2);
    if (id < 0) {
      throw new IOException("stream ids exhausted");
    }
    YamuxStream s = new YamuxStream(this, id, false);
    streams.put(id, s);
    return s;
  }

  /**
   * Sends a keepalive ping (SYN) without waiting for the connection's write lock. Returns false when the previous
   * ping is still unanswered, which the caller treats as a dead connection (true once the session is closed).
   */
  public boolean ping() {
    if (closed.get()) {
      return true;
    }
    if (pingOutstanding >= 0) {
      return false;
    }
    int v = pingCounter.getAndIncrement() & 0x7FFFFFFF;
    pingOutstanding = v;
    pingSentNanos = System.nanoTime();
    control.ping(v);
    return true;
  }

  void send(int type, int flags, int id, long length) throws IOException {
    if (closed.get()) {
      throw new IOException("connection closed" + (closeReason == null ? "" : ": " + closeReason));
    }
    framesSent.increment(); // before the write: the remote may act on the frame before this thread runs again
    channel.write(new YamuxFrame(type, flags, id, length).encode(), null, 0, 0);
  }

  /** How long the write in progress has been stuck in the socket (0 when none is): a watchdog's input. */
  public long writeStalledNanos() {
    return channel.stalledNanos();
  }

  void sendData(int flags, int id, byte[] b, int off, int len) throws IOException {
    if (closed.get()) {
      throw new IOException("connection closed" + (closeReason == null ? "" : ": " + closeReason));
    }
    framesSent.increment();
    channel.write(new YamuxFrame(YamuxFrame.DATA, flags, id, len).encode(), b, off, len);
  }

  /**
   * Frames this side has sent (or begun to send) on the connection: each is one encrypted write, one system call.
   * Counted before the write, so a caller that has seen the remote act on a frame also sees it counted.
   */
  public long framesSent() {
    return framesSent.sum();
  }

  void forget(YamuxStream s) {
    streams.remove(s.id(), s);
  }

  /** The reader loop: returns when the connection ends. */
  @Override
  public void run() {
    InputStream in = channel.input();
    String reason = "remote closed the connection";
    boolean protocolError = false;
    try {
      while (!closed.get()) {
        byte[] h = in.readNBytes(YamuxFrame.HEADER);
        if (h.length == 0) {
          break;
        }
        if (h.length != YamuxFrame.HEADER) {
          throw new EOFException("connection closed inside a yamux header");
        }
        if (!handle(YamuxFrame.decode(h), in)) {
          reason = "remote sent GoAway";
          break;
        }
      }
    } catch (WireException e) {
      reason = "protocol error: " + e.getMessage();
      protocolError = true;
    } catch (IOException e) {
      reason = closed.get() ? closeReason : "connection lost: " + e.getMessage();
    } catch (RuntimeException e) {
      reason = "internal error: " + e;
      LOG.log(Level.WARNING, "yamux reader failed", e);
    }
    close(reason, protocolError);
  }

  /** Handles one frame; false when the session should end. */
  private boolean handle(YamuxFrame f, InputStream in) throws IOException {
    switch (f.type()) {
      case YamuxFrame.PING -> {
        if (f.streamId() != 0) {
          throw new WireException("ping on stream " + f.streamId());
        }
        if (f.flags() == YamuxFrame.SYN) {
          long now = System.nanoTime();
          if (now - pingWindowStart > 1_000_000_000L) {
            pingWindowStart = now;
            pingsInWindow = 0;
          }
          if (++pingsInWindow > MAX_PINGS_PER_SECOND) {
            throw new WireException("more than " + MAX_PINGS_PER_SECOND + " pings in a second (a ping flood)");
          }
          control.ackPing(f.length()); // the reader never writes: it would stop reading a peer that stops reading
        } else if (f.flags() == YamuxFrame.ACK && f.length() == pingOutstanding) {
          rttNanos = Math.max(1, System.nanoTime() - pingSentNanos);
          pingOutstanding = -1;
        }
        return true;
      }
      case YamuxFrame.GO_AWAY -> {
        // js closes its socket right after GoAway, so we end the session at once rather than drain
        remoteGoAway = true;
        if (f.length() != 0) {
          LOG.info("remote sent GoAway with error code " + f.length());
        }
        return false;
      }
      default -> {
        return handleStreamFrame(f, in);
      }
    }
  }

  private boolean handleStreamFrame(YamuxFrame f, InputStream in) throws IOException {
    int id = f.streamId();
    if (id == 0) {
      throw new WireException("data or window update on stream 0");
    }
    boolean isData = f.type() == YamuxFrame.DATA;
    if (isData && f.length() > maxWindow) {
      throw new WireException("data frame of " + f.length() + " bytes exceeds any window");
    }
    YamuxStream s = streams.get(id);
    boolean rejected = false;
    if ((f.flags() & YamuxFrame.SYN) != 0) {
      if (s != null) {
        throw new WireException("SYN for stream " + id + " which is already open");
      }
      boolean remoteIsClient = !client;
      if ((id % 2 == 1) != remoteIsClient) {
        throw new WireException("SYN for stream " + id + " with our parity (both endpoints clients?)");
      }
      if (streams.size() >= maxStreams || remoteGoAway || closed.get()) {
        rejected = true;
        if (!control.reset(id)) {
          throw new WireException("more than " + ControlFrames.MAX_RESETS + " refused streams not yet told");
        }
      } else {
        s = new YamuxStream(this, id, true);
        streams.put(id, s);
        onInbound.accept(s);
      }
    }
    boolean idle = (s == null && !rejected) || (!isData && f.length() == 0 && f.flags() == 0);
    if (idle) {
      countIdleFrame();
    }
    if (isData) {
      int len = (int) f.length();
      if (s == null || rejected) {
        in.skipNBytes(len); // unknown or refused stream: drop its bytes
      } else {
        byte[] data = in.readNBytes(len);
        if (data.length != len) {
          throw new EOFException("connection closed inside a data frame");
        }
        if (!s.onData(data)) {
          throw new WireException("stream " + id + " exceeded its receive window");
        }
      }
    } else if (s != null && !rejected) {
      s.onWindowUpdate(f.length());
    }
    if (s != null && !rejected) {
      if ((f.flags() & YamuxFrame.RST) != 0) {
        s.onReset("reset by remote");
        forget(s);
      } else if ((f.flags() & YamuxFrame.FIN) != 0 && s.onRemoteFin()) {
        forget(s);
      }
    }
    return true;
  }

  private void countIdleFrame() throws WireException {
    long now = System.nanoTime();
    if (now - idleWindowStart > 1_000_000_000L) {
      idleWindowStart = now;
      idleInWindow = 0;
    }
    if (++idleInWindow > MAX_IDLE_FRAMES_PER_SECOND) {
      throw new WireException("more than " + MAX_IDLE_FRAMES_PER_SECOND
          + " frames in a second that change nothing (empty window updates, frames for streams not open)");
    }
  }

  /** Ends the session: GoAway (0, or 1 on a protocol error), every stream reset, the channel's socket closed. */
  public void close(String reason, boolean protocolError) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeReason = reason;
    try { // a courtesy: not worth waiting behind a writer stuck on a peer that stopped reading
      channel.tryWrite(new YamuxFrame(YamuxFrame.GO_AWAY, 0, 0, protocolError ? 1 : 0).encode(), GO_AWAY_WAIT_MILLIS);
    } catch (IOException ignored) {
      // the socket is already gone
    }
    List<YamuxStream> all = new ArrayList<>(streams.values());
    streams.clear();
    for (YamuxStream s : all) {
      s.onReset("connection closed: " + reason);
    }
    if (protocolError) {
      LOG.warning("closing connection: " + reason);
    }
    onClose.accept(reason);
  }

  public String closeReason() {
    return closeReason;
  }
}
