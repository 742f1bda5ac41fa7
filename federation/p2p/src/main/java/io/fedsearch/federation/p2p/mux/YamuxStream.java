package io.fedsearch.federation.p2p.mux;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One yamux stream. Reads are served from what the remote sent within the window we granted (so the buffer is
 * bounded by the window); credit goes back as the application consumes, and the window doubles (up to the session's
 * maximum) when a whole window is consumed within a few round trips. Writes block while the send window is empty.
 * One reader and one writer thread at a time.
 */
public final class YamuxStream {
  /** Largest Data payload we send: header + payload fit one noise message. */
  static final int MAX_DATA_FRAME = 65535 - 16 - YamuxFrame.HEADER;
  /** On fast links a 4-RTT window is too short to ever see; a reader this quick deserves a bigger window too. */
  private static final long MIN_GROWTH_INTERVAL_NANOS = 5_000_000;

  private final YamuxSession session;
  private final int id;
  private final boolean inbound;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final Condition writable = lock.newCondition();
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private int headPos;
  private long recvWindow;
  private long recvWindowTarget;
  private long consumed;
  private long epochStart = System.nanoTime();
  private long sendWindow = YamuxSession.INITIAL_WINDOW;
  private boolean openFlagPending = true;
  /**
   * Bytes that go out ahead of the next data written (a deferred multistream-select answer), or null. Volatile so
   * that a write finds none without taking the lock, as nearly every write does.
   */
  private volatile byte[] prefix;
  private boolean remoteFin;
  private boolean localFin;
  private String resetReason;
  private long readTimeoutNanos;
  /** Run once when the remote is done sending or must wait for us ({@link #whenRemoteDone}); null when none. */
  private Runnable remoteDone;
  private final Input in = new Input();
  private final Output out = new Output();

  YamuxStream(YamuxSession session, int id, boolean inbound) {
    this.session = session;
    this.id = id;
    this.inbound = inbound;
    this.recvWindow = YamuxSession.INITIAL_WINDOW;
    this.recvWindowTarget = YamuxSession.INITIAL_WINDOW;
  }

  public int id() {
    return id;
  }

  public boolean isInbound() {
    return inbound;
  }

  public YamuxSession session() {
    return session;
  }

  public InputStream in() {
    return in;
  }

  public OutputStream out() {
    return out;
  }

  /** Bounds each blocking read; zero (the default) waits until data, end of stream or reset. */
  public void setReadTimeout(long millis) {
    readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /**
   * Sends {@code bytes} ahead of the next data written on this stream, in the same frame: the host defers its
   * multistream-select answer this way so that it rides with the handler's first write.
   */
  public void prefixNextData(byte[] bytes) {
    lock.lock();
    try {
      prefix = bytes;
    } finally {
      lock.unlock();
    }
  }

  /** The pending prefix, taken (null when none is pending). */
  private byte[] takePrefix() {
    if (prefix == null) {
      return null;
    }
    lock.lock();
    try {
      byte[] p = prefix;
      prefix = null;
      return p;
    } finally {
      lock.unlock();
    }
  }

  private static byte[] concat(byte[] p, byte[] b, int off, int len) {
    byte[] all = Arrays.copyOf(p, p.length + len);
    System.arraycopy(b, off, all, p.length, len);
    return all;
  }

  /** SYN on our first frame of an outbound stream, ACK on our first frame of an inbound one. */
  private int takeOpenFlag() {
    if (!openFlagPending) {
      return 0;
    }
    openFlagPending = false;
    return inbound ? YamuxFrame.ACK : YamuxFrame.SYN;
  }

  /** Sends the open flag now (an outbound stream's SYN) without data. */
  void sendOpen() throws IOException {
    int flags;
    lock.lock();
    try {
      flags = takeOpenFlag();
    } finally {
      lock.unlock();
    }
    if (flags != 0) {
      session.send(YamuxFrame.WINDOW_UPDATE, flags, id, 0);
    }
  }

  /**
   * Runs {@code action} once, as soon as the remote has half-closed or reset the stream (then everything it sent is
   * here and reading never blocks: {@link #remoteFinished}), or has filled the receive window we granted (then it
   * waits for credit, which only reading gives: the action must hand the reading to a thread of its own). Runs at
   * once if that is already so, else on the session's reader thread, which it must not hold up: for a caller that
   * would otherwise park a thread of its own just to wait for a short answer.
   */
  public void whenRemoteDone(Runnable action) {
    boolean now;
    lock.lock();
    try {
      now = remoteFin || resetReason != null || (recvWindow == 0 && !chunks.isEmpty());
      if (!now) {
        remoteDone = action;
      }
    } finally {
      lock.unlock();
    }
    if (now) {
      action.run();
    }
  }

  /** Whether the remote half-closed or the stream was reset: what is left to read is all here. */
  public boolean remoteFinished() {
    lock.lock();
    try {
      return remoteFin || resetReason != null;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the {@link #whenRemoteDone} action, to run once the lock is released. */
  private Runnable takeRemoteDone() {
    Runnable r = remoteDone;
    remoteDone = null;
    return r;
  }

  private static void run(Runnable r) {
    if (r != null) {
      r.run();
    }
  }

  // ------------------------------------------------------------------ called by the session's reader thread
  /** Appends received data; false when it exceeds the granted window (a protocol error). */
  boolean onData(byte[] data) {
    Runnable done = null;
    lock.lock();
    try {
      if (data.length > recvWindow) {
        return false;
      }
      recvWindow -= data.length;
      if (resetReason == null && !remoteFin && data.length > 0) {
        chunks.add(data);
        readable.signalAll();
        if (recvWindow == 0) {
          done = takeRemoteDone();
        }
      }
    } finally {
      lock.unlock();
    }
    run(done);
    return true;
  }

  void onWindowUpdate(long delta) {
    if (delta == 0) {
      return;
    }
    lock.lock();
    try {
      sendWindow += delta;
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Remote FIN; true when both directions are now closed. */
  boolean onRemoteFin() {
    Runnable done;
    boolean both;
    lock.lock();
    try {
      remoteFin = true;
      readable.signalAll();
      both = localFin;
      done = takeRemoteDone();
    } finally {
      lock.unlock();
    }
    run(done);
    return both;
  }

  void onReset(String reason) {
    Runnable done;
    lock.lock();
    try {
      if (resetReason == null) {
        resetReason = reason;
      }
      chunks.clear();
      readable.signalAll();
      writable.signalAll();
      done = takeRemoteDone();
    } finally {
      lock.unlock();
    }
    run(done);
  }

  // ------------------------------------------------------------------ application side
  private int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n;
    long credit = 0;
    int flags = 0;
    lock.lock();
    try {
      long deadline = readTimeoutNanos > 0 ? System.nanoTime() + readTimeoutNanos : 0;
      while (chunks.isEmpty()) {
        if (resetReason != null) {
          throw new IOException("stream " + id + " reset: " + resetReason);
        }
        if (remoteFin) {
          return -1;
        }
        try {
          if (deadline == 0) {
            readable.await();
          } else {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              throw new InterruptedIOException("stream " + id + " read timed out");
            }
            readable.awaitNanos(left);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading stream " + id);
        }
      }
      byte[] head = chunks.peek();
      n = Math.min(len, head.length - headPos);
      System.arraycopy(head, headPos, b, off, n);
      headPos += n;
      if (headPos == head.length) {
        chunks.poll();
        headPos = 0;
      }
      consumed += n;
      if (consumed >= recvWindowTarget / 2 && !remoteFin && resetReason == null) {
        long now = System.nanoTime();
        long rtt = session.rttNanos();
        long growth = 0;
        if (rtt > 0 && now - epochStart < Math.max(4 * rtt, MIN_GROWTH_INTERVAL_NANOS)
            && recvWindowTarget < session.maxWindow()) {
          growth = Math.min(recvWindowTarget * 2, session.maxWindow()) - recvWindowTarget;
          recvWindowTarget += growth;
        }
        epochStart = now;
        // give back what was consumed plus any growth: granted-but-unsent + buffered never exceeds the target
        credit = consumed + growth;
        recvWindow += credit;
        consumed = 0;
        flags = takeOpenFlag();
      }
    } finally {
      lock.unlock();
    }
    if (credit > 0) {
      session.send(YamuxFrame.WINDOW_UPDATE, flags, id, credit);
    }
    return n;
  }

  private void write(byte[] b, int off, int len) throws IOException {
    byte[] p = takePrefix();
    if (p != null) {
      b = concat(p, b, off, len);
      off = 0;
      len = b.length;
    }
    while (len > 0) {
      int n;
      int flags;
      lock.lock();
      try {
        while (sendWindow == 0 && resetReason == null && !localFin) {
          try {
            writable.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing stream " + id);
          }
        }
        if (resetReason != null) {
          throw new IOException("stream " + id + " reset: " + resetReason);
        }
        if (localFin) {
          throw new IOException("stream " + id + " is closed for writing");
        }
        n = (int) Math.min(Math.min(len, sendWindow), MAX_DATA_FRAME);
        sendWindow -= n;
        flags = takeOpenFlag();
      } finally {
        lock.unlock();
      }
      session.sendData(flags, id, b, off, n);
      off += n;
      len -= n;
    }
  }

  /**
   * Writes {@code b} and half-closes. With {@code finInDataFrame}, in one Data frame carrying FIN when the window
   * allows (one frame instead of two); otherwise the FIN goes in its own WindowUpdate frame right after the data,
   * as js-libp2p does — js-libp2p 3.x drops the data of a Data frame that also carries FIN, so only fedsearch peers
   * get the single frame.
   */
  public void writeAndClose(byte[] b, boolean finInDataFrame) throws IOException {
    byte[] p = takePrefix();
    b = p != null ? concat(p, b, 0, b.length) : b;
    if (finInDataFrame && sendFin(b)) {
      return;
    }
    write(b, 0, b.length);
    closeWrite();
  }


  /** Half-close: the remote reads end of stream; we can still read. */
  public void closeWrite() throws IOException {
    byte[] pending = takePrefix();
    if (pending != null) {
      write(pending, 0, pending.length); // not with the FIN: js-libp2p drops the data of a Data frame with FIN
    }
    sendFin(null);
  }

  /**
   * Half-closes: FIN on a Data frame carrying {@code data}, or alone on a WindowUpdate when {@code data} is null.
   * Returns false, sending nothing, when this side is closed or reset already, or the data does not fit one frame
   * within the window.
   */
  private boolean sendFin(byte[] data) throws IOException {
    int length = data == null ? 0 : data.length;
    int flags;
    boolean both;
    lock.lock();
    try {
      if (localFin || resetReason != null || length > sendWindow || length > MAX_DATA_FRAME) {
        return false;
      }
      sendWindow -= length;
      localFin = true;
      both = remoteFin;
      flags = takeOpenFlag() | YamuxFrame.FIN;
      writable.signalAll();
    } finally {
      lock.unlock();
    }
    if (data == null) {
      session.send(YamuxFrame.WINDOW_UPDATE, flags, id, 0);
    } else {
      session.sendData(flags, id, data, 0, length);
    }
    if (both) {
      session.forget(this);
    }
    return true;
  }


  /** Aborts both directions and tells the remote (RST). */
  public void reset() {
    Runnable done;
    lock.lock();
    try {
      if (resetReason != null) {
        return;
      }
      resetReason = "reset locally";
      chunks.clear();
      readable.signalAll();
      writable.signalAll();
      done = takeRemoteDone();
    } finally {
      lock.unlock();
    }
    run(done);
    session.forget(this);
    try {
      session.send(YamuxFrame.WINDOW_UPDATE, YamuxFrame.RST, id, 0);
    } catch (IOException ignored) {
      // the connection is gone; the stream is dead either way
    }
  }

  public boolean isReset() {
    lock.lock();
    try {
      return resetReason != null;
    } finally {
      lock.unlock();
    }
  }

  private final class Input extends InputStream {
    /** Bytes already received and not yet read: reading them will not block. */
    @Override
    public int available() {
      lock.lock();
      try {
        long n = -headPos;
        for (byte[] c : chunks) {
          n += c.length;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, n));
      } finally {
        lock.unlock();
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = YamuxStream.this.read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return YamuxStream.this.read(b, off, len);
    }
  }

  private final class Output extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      YamuxStream.this.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      YamuxStream.this.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      closeWrite();
    }
  }
}
