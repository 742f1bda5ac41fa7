package io.fedsearch.federation.p2p;

import io.fedsearch.federation.p2p.crypto.NoiseHandshake;
import io.fedsearch.federation.p2p.crypto.NoiseIdentity;
import io.fedsearch.federation.p2p.crypto.SecureChannel;
import io.fedsearch.federation.p2p.mss.Multistream;
import io.fedsearch.federation.p2p.mux.YamuxFrame;
import io.fedsearch.core.keys.NodeKey;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A hand-driven libp2p dialer for tests that send what a well-behaved peer never would. */
final class RawClient implements Closeable {
  final Socket socket;
  final InputStream in;
  final OutputStream out;
  SecureChannel channel;

  RawClient(Multiaddr address) throws IOException {
    this(address, null, 0);
  }

  /**
   * @param from local address to connect from (another loopback address is another remote IP to the host), or null
   * @param receiveBuffer the socket's receive buffer, 0 for the default: a small one makes a peer that stops reading
   *     back up the host's writes quickly
   */
  RawClient(Multiaddr address, java.net.InetAddress from, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    if (from != null) {
      socket.bind(new java.net.InetSocketAddress(from, 0));
    }
    socket.connect(address.socketAddress(), 5000);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(5000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** mss /noise, the Noise XX handshake and mss /yamux/1.0.0: ready for raw yamux frames. */
  RawClient secure() throws IOException {
    Multistream.select(in, out, "/noise");
    NoiseHandshake.Result keys = NoiseHandshake.initiate(in, out, new NoiseIdentity(NodeKey.generate()), false, null);
    channel = new SecureChannel(in, out, keys);
    Multistream.select(channel.input(), channel.output(), NoiseIdentity.YAMUX);
    return this;
  }

  void frame(int type, int flags, int id, long length, byte[] data) throws IOException {
    channel.write(new YamuxFrame(type, flags, id, length).encode(), data, 0, data == null ? 0 : data.length);
  }

  /** Reads frames until a GoAway (returned) or end of stream (null). */
  YamuxFrame awaitGoAway() throws IOException {
    InputStream s = channel.input();
    while (true) {
      byte[] h = s.readNBytes(YamuxFrame.HEADER);
      if (h.length < YamuxFrame.HEADER) {
        return null;
      }
      YamuxFrame f = YamuxFrame.decode(h);
      if (f.type() == YamuxFrame.GO_AWAY) {
        return f;
      }
      if (f.type() == YamuxFrame.DATA) {
        s.skipNBytes(f.length());
      }
    }
  }

  /** Reads frames until a ping ACK; returns its opaque value. */
  long awaitPingAck() throws IOException {
    InputStream s = channel.input();
    while (true) {
      YamuxFrame f = YamuxFrame.decode(s.readNBytes(YamuxFrame.HEADER));
      if (f.type() == YamuxFrame.PING && f.flags() == YamuxFrame.ACK) {
        return f.length();
      }
      if (f.type() == YamuxFrame.DATA) {
        s.skipNBytes(f.length());
      }
    }
  }

  /** True when the server closes the TCP connection within the socket timeout (after sending anything). */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
