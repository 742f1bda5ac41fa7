package io.fedsearch.federation.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.FuzzBudget;
import io.fedsearch.federation.p2p.Mutator;
import io.fedsearch.federation.p2p.mss.Multistream;
import io.fedsearch.federation.p2p.mux.YamuxFrame;
import io.fedsearch.federation.p2p.mux.YamuxSession;
import io.fedsearch.federation.p2p.mux.YamuxStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport parsers a peer reaches after the handshake, in memory and so by the hundred thousand: Noise
 * transport frames (length prefix, decryption) and the yamux session reader behind them. Each input is a sequence
 * of yamux frames, valid or mutated, encrypted into Noise frames of random sizes (sometimes with a corrupted length
 * prefix or tag), read by a {@link YamuxSession} to its end. The session may end however it decides; it must end
 * by a named reason — a protocol error, a lost connection, the remote's GoAway — never an internal error.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class TransportFuzzTest {
  private static final Logger QUIET = Logger.getLogger(YamuxSession.class.getName()); // a strong reference

  @Test
  void yamuxFramesInNoiseFramesEndOnlyWithANamedReason() throws Exception {
    QUIET.setLevel(Level.OFF); // a protocol error is logged per session: a million of them says nothing
    byte[] key = new byte[32];
    key[0] = 7;
    byte[] mss = Multistream.proposalWith("/echo/1", new byte[] {1, 2, 3});
    byte[][] valid = {
      frame(YamuxFrame.DATA, YamuxFrame.SYN, 1, mss),
      frame(YamuxFrame.DATA, 0, 1, new byte[64]),
      frame(YamuxFrame.WINDOW_UPDATE, 0, 1, new byte[0], 4096),
      frame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.FIN, 1, new byte[0], 0),
      frame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.RST, 3, new byte[0], 0),
      frame(YamuxFrame.PING, YamuxFrame.SYN, 0, new byte[0], 5),
      frame(YamuxFrame.PING, YamuxFrame.ACK, 0, new byte[0], 0),
      frame(YamuxFrame.DATA, YamuxFrame.SYN | YamuxFrame.FIN, 5, new byte[] {1, 2, 3}),
      frame(YamuxFrame.GO_AWAY, 0, 0, new byte[0], 0),
    };
    Mutator m = new Mutator(41);
    int n = FuzzBudget.inputs(100_000);
    int[] endings = new int[3]; // protocol error, connection lost, GoAway or clean end
    for (int i = 0; i < n; i++) {
      ByteArrayOutputStream plain = new ByteArrayOutputStream();
      int frames = 1 + m.random().nextInt(8);
      for (int f = 0; f < frames; f++) {
        byte[] raw = valid[m.random().nextInt(valid.length)];
        plain.writeBytes(m.random().nextInt(3) == 0 ? raw : m.mutate(raw));
      }
      byte[] wire = encrypt(plain.toByteArray(), key, m);
      String reason = read(wire, key);
      assertThat(reason).as("input %d", i).doesNotStartWith("internal error");
      endings[reason.startsWith("protocol error") ? 0 : reason.startsWith("connection lost") ? 1 : 2]++;
    }
    FuzzBudget.report("noise-transport+yamux-session", n);
    System.out.println("  ended by protocol error " + endings[0] + ", connection lost " + endings[1]
        + ", GoAway or end of input " + endings[2]);
    assertThat(endings[0]).isPositive();
  }

  /** Encrypts {@code plain} into Noise transport frames of random sizes; sometimes damages one. */
  private static byte[] encrypt(byte[] plain, byte[] key, Mutator m) throws Exception {
    CipherState send = new CipherState(key);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<byte[]> frames = new ArrayList<>();
    for (int off = 0; off < plain.length || frames.isEmpty(); ) {
      int len = Math.min(plain.length - off, 1 + m.random().nextInt(SecureChannel.MAX_PLAINTEXT));
      byte[] chunk = java.util.Arrays.copyOfRange(plain, off, off + len);
      byte[] framed = send.encrypt(chunk, 2, null);
      int ct = framed.length - 2;
      framed[0] = (byte) (ct >> 8);
      framed[1] = (byte) ct;
      frames.add(framed);
      off += len;
    }
    if (m.random().nextInt(16) == 0) { // a damaged tag, length prefix or cut frame
      int which = m.random().nextInt(frames.size());
      frames.set(which, m.mutate(frames.get(which)));
    }
    frames.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** Runs a session reader over {@code wire} to its end; the reason it ended. */
  private static String read(byte[] wire, byte[] key) {
    NoiseHandshake.Result keys = new NoiseHandshake.Result(null, null, List.of(), new CipherState(new byte[32]),
        new CipherState(key));
    SecureChannel channel = new SecureChannel(new ByteArrayInputStream(wire), OutputStream.nullOutputStream(), keys);
    AtomicReference<String> ended = new AtomicReference<>();
    YamuxSession session = new YamuxSession(channel, false, 16, 1 << 20, YamuxStream::reset, ended::set);
    session.run();
    return ended.get() == null ? "not ended" : ended.get();
  }

  static byte[] frame(int type, int flags, int id, byte[] data) {
    return frame(type, flags, id, data, data.length);
  }

  static byte[] frame(int type, int flags, int id, byte[] data, long length) {
    byte[] h = new YamuxFrame(type, flags, id, length).encode();
    byte[] out = new byte[h.length + data.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(data, 0, out, h.length, data.length);
    return out;
  }
}
