package io.fedsearch.federation.p2p.crypto;

import io.fedsearch.federation.p2p.wire.WireException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Noise transport phase: every message is {@code uint16_be(len) || ChaChaPoly(k, n++, "", chunk) || tag}, with
 * plaintext chunks of at most {@value #MAX_PLAINTEXT} bytes. Reading is for one thread (the connection's reader);
 * writing is safe from many threads and keeps each {@link #write} call's chunks together.
 *
 * <p>A socket write cannot time out by itself, so writes have a deadline in two halves: a writer waits at most the
 * write timeout for the lock, and {@link #stalledNanos} tells a watchdog how long the write in progress has sat in
 * the socket, so that it can close a connection whose peer stopped reading ({@code Host} does).
 */
public final class SecureChannel {
  public static final int MAX_PLAINTEXT = 65535 - CipherState.TAG;

  private final InputStream rawIn;
  private final OutputStream rawOut;
  private final CipherState send;
  private final CipherState receive;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Input input = new Input();
  private final long writeTimeoutNanos;
  /** When the write in progress began (System.nanoTime), 0 when none is. */
  private volatile long writingSince;

  public SecureChannel(InputStream rawIn, OutputStream rawOut, NoiseHandshake.Result keys) {
    this(rawIn, rawOut, keys, Duration.ofSeconds(10));
  }

  /** @param writeTimeout longest wait for the write lock (the watchdog bounds the write itself) */
  public SecureChannel(InputStream rawIn, OutputStream rawOut, NoiseHandshake.Result keys, Duration writeTimeout) {
    this.rawIn = rawIn;
    this.rawOut = rawOut;
    this.send = keys.send();
    this.receive = keys.receive();
    this.writeTimeoutNanos = writeTimeout.toNanos();
  }

  /**
   * How long the write in progress has waited for the socket to take its current chunk (at most 64 KiB); 0 when no
   * write is in progress.
   */
  public long stalledNanos() {
    long since = writingSince;
    return since == 0 ? 0 : Math.max(1, System.nanoTime() - since);
  }

  /**
   * An output stream that collects writes and sends them as one {@link #write} on {@code flush()}; for the
   * multistream negotiation that precedes the muxer.
   */
  public OutputStream output() {
    return new OutputStream() {
      private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

      @Override
      public void write(int b) {
        pending.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        pending.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        if (pending.size() > 0) {
          SecureChannel.this.write(pending.toByteArray());
          pending.reset();
        }
      }
    };
  }

  /** The decrypted byte stream. */
  public InputStream input() {
    return input;
  }

  /** Encrypts and sends {@code head || body[off, off+len)} as one or more noise messages. */
  public void write(byte[] head, byte[] body, int off, int len) throws IOException {
    lockForWrite(writeTimeoutNanos);
    try {
      writeLocked(head, body, off, len);
    } finally {
      writeLock.unlock();
    }
  }

  private void writeLocked(byte[] head, byte[] body, int off, int len) throws IOException {
    int total = (head == null ? 0 : head.length) + len;
    writingSince = System.nanoTime() | 1; // never 0 while writing
    try {
      if (total <= MAX_PLAINTEXT) {
        byte[] plain = new byte[total];
        int h = 0;
        if (head != null) {
          System.arraycopy(head, 0, plain, 0, head.length);
          h = head.length;
        }
        if (len > 0) {
          System.arraycopy(body, off, plain, h, len);
        }
        sendChunk(plain);
      } else {
        byte[] all = new byte[total];
        int h = head == null ? 0 : head.length;
        if (head != null) {
          System.arraycopy(head, 0, all, 0, h);
        }
        System.arraycopy(body, off, all, h, len);
        for (int o = 0; o < total; o += MAX_PLAINTEXT) {
          int n = Math.min(MAX_PLAINTEXT, total - o);
          byte[] chunk = new byte[n];
          System.arraycopy(all, o, chunk, 0, n);
          sendChunk(chunk);
          writingSince = System.nanoTime() | 1; // progress: the stall is measured from the last chunk taken
        }
      }
      rawOut.flush();
    } finally {
      writingSince = 0;
    }
  }

  public void write(byte[] data) throws IOException {
    write(null, data, 0, data.length);
  }

  /**
   * Sends {@code data} unless another write has held the lock for {@code maxWaitMillis}: for a courtesy frame (a
   * GoAway before closing) that must not wait behind a writer stuck on a peer that stopped reading. False when it
   * was not sent.
   */
  public boolean tryWrite(byte[] data, long maxWaitMillis) throws IOException {
    try {
      lockForWrite(TimeUnit.MILLISECONDS.toNanos(maxWaitMillis));
    } catch (IOException stalled) {
      return false;
    }
    try {
      writeLocked(null, data, 0, data.length);
    } finally {
      writeLock.unlock();
    }
    return true;
  }

  /**
   * Takes the write lock within {@code timeoutNanos}, ignoring interrupts as {@code lock()} did: a cancelled call
   * interrupts its thread and then resets its stream, and that RST must still go out. The interrupt is restored.
   */
  private void lockForWrite(long timeoutNanos) throws IOException {
    long deadline = System.nanoTime() + timeoutNanos;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (writeLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return;
          }
          throw new IOException("write stalled: the connection has not accepted a write for "
              + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (the peer is not reading)");
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void sendChunk(byte[] plain) throws IOException {
    byte[] framed = send.encrypt(plain, 2, null);
    int len = framed.length - 2;
    framed[0] = (byte) (len >> 8);
    framed[1] = (byte) len;
    rawOut.write(framed);
  }

  private final class Input extends InputStream {
    private byte[] buf = new byte[0];
    private int pos;
    private boolean eof;

    private boolean fill() throws IOException {
      while (pos >= buf.length) {
        if (eof) {
          return false;
        }
        int hi = rawIn.read();
        if (hi < 0) {
          eof = true;
          return false;
        }
        int lo = rawIn.read();
        if (lo < 0) {
          throw new EOFException("connection closed inside a noise frame header");
        }
        int len = (hi << 8) | lo;
        if (len < CipherState.TAG) {
          throw new WireException("noise frame of " + len + " bytes is shorter than its tag");
        }
        byte[] ct = rawIn.readNBytes(len);
        if (ct.length != len) {
          throw new EOFException("connection closed inside a noise frame");
        }
        buf = receive.decrypt(ct, 0, null);
        pos = 0;
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      return fill() ? buf[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, buf.length - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return buf.length - pos;
    }
  }
}
