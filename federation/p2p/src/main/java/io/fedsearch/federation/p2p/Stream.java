package io.fedsearch.federation.p2p;

import io.fedsearch.federation.p2p.mux.YamuxStream;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A negotiated protocol stream on a {@link Connection}. Each {@code out().write} call is sent at once (write whole
 * messages); {@link #closeWrite()} half-closes, {@link #reset()} aborts both directions.
 */
public final class Stream implements Closeable {
  private final YamuxStream muxed;
  private final Connection connection;
  private final String protocol;

  Stream(YamuxStream muxed, Connection connection, String protocol) {
    this.muxed = muxed;
    this.connection = connection;
    this.protocol = protocol;
  }

  public InputStream in() {
    return muxed.in();
  }

  public OutputStream out() {
    return muxed.out();
  }

  public String protocol() {
    return protocol;
  }

  public Connection connection() {
    return connection;
  }

  public PeerId remotePeer() {
    return connection.remotePeer();
  }

  /** The remote's Ed25519 key, proven by the Noise handshake. */
  public NodePublicKey remotePublicKey() {
    return connection.remotePublicKey();
  }

  public boolean isInbound() {
    return muxed.isInbound();
  }

  /** Bounds each blocking read ({@link java.io.InterruptedIOException} when exceeded); zero = no bound. */
  public void setReadTimeout(Duration timeout) {
    muxed.setReadTimeout(timeout.toMillis());
  }

  public void closeWrite() throws IOException {
    muxed.closeWrite();
  }

  /**
   * Writes {@code b} as the last bytes this side sends, then half-closes: in one frame when the remote is a
   * fedsearch peer (see {@link Host#acceptsOptimisticSelect}), else data then FIN as js-libp2p expects.
   */
  public void writeAndClose(byte[] b) throws IOException {
    muxed.writeAndClose(b, connection.host().acceptsOptimisticSelect(remotePeer()));
  }

  public void reset() {
    muxed.reset();
  }

  /**
   * Runs {@code action} once the remote has half-closed or reset this stream, or filled our receive window (see
   * {@link YamuxStream#whenRemoteDone}): on the connection's reader thread, so it must not block — it reads what
   * arrived only when {@link #remoteFinished()}, and otherwise hands the reading to a thread of its own.
   */
  public void whenRemoteDone(Runnable action) {
    muxed.whenRemoteDone(action);
  }

  /** Whether everything the remote will send on this stream has arrived (or the stream was reset). */
  public boolean remoteFinished() {
    return muxed.remoteFinished();
  }

  public boolean isReset() {
    return muxed.isReset();
  }

  /** Half-closes; the stream is released when the remote closes its side too (or the connection ends). */
  @Override
  public void close() throws IOException {
    muxed.closeWrite();
  }

  @Override
  public String toString() {
    return "Stream[" + protocol + " " + (isInbound() ? "from " : "to ") + remotePeer() + " #" + muxed.id() + "]";
  }
}
