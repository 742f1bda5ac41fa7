package io.fedsearch.federation.p2p.crypto;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.wire.WireException;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The Noise XX handshake with the libp2p payload ({@code /noise}). Messages are {@code uint16_be(len) || msg}.
 * Blocking: the caller bounds it with a socket read timeout.
 */
public final class NoiseHandshake {
  /** What the handshake proved about the remote and the keys for the transport phase. */
  public record Result(NodePublicKey remoteKey, PeerId remotePeer, List<String> remoteMuxers, CipherState send,
      CipherState receive) {}

  private NoiseHandshake() {}

  public static Result initiate(InputStream in, OutputStream out, NoiseIdentity id, boolean earlyMuxer,
      PeerId expected) throws IOException {
    SymmetricState ss = new SymmetricState();
    ss.mixHash(new byte[0]); // empty prologue
    byte[][] e = id.ephemeral();
    byte[] ePriv = e[0];
    byte[] ePub = e[1];
    ss.mixHash(ePub);
    byte[] p1 = ss.encryptAndHash(new byte[0]);
    writeMessage(out, concat(ePub, p1));

    byte[] msg2 = readMessage(in);
    if (msg2.length < 32 + 48 + CipherState.TAG) {
      throw new WireException("noise message 2 too short: " + msg2.length + " bytes");
    }
    byte[] re = Arrays.copyOfRange(msg2, 0, 32);
    ss.mixHash(re);
    ss.mixKey(NoiseIdentity.dh(ePriv, re));
    byte[] rs = ss.decryptAndHash(Arrays.copyOfRange(msg2, 32, 80));
    ss.mixKey(NoiseIdentity.dh(ePriv, rs));
    NoisePayload remote = NoisePayload.decode(ss.decryptAndHash(Arrays.copyOfRange(msg2, 80, msg2.length)));
    NodePublicKey remoteKey = verify(remote, rs, expected);

    byte[] encS = ss.encryptAndHash(id.staticPublic());
    ss.mixKey(id.dhStatic(re));
    byte[] encP = ss.encryptAndHash(id.payload(earlyMuxer));
    writeMessage(out, concat(encS, encP));
    CipherState[] keys = ss.split();
    return new Result(remoteKey, PeerId.of(remoteKey), remote.streamMuxers(), keys[0], keys[1]);
  }

  public static Result respond(InputStream in, OutputStream out, NoiseIdentity id, boolean earlyMuxer)
      throws IOException {
    SymmetricState ss = new SymmetricState();
    ss.mixHash(new byte[0]);
    byte[] msg1 = readMessage(in);
    if (msg1.length < 32) {
      throw new WireException("noise message 1 too short: " + msg1.length + " bytes");
    }
    byte[] re = Arrays.copyOfRange(msg1, 0, 32);
    ss.mixHash(re);
    ss.decryptAndHash(Arrays.copyOfRange(msg1, 32, msg1.length));

    byte[][] e = id.ephemeral();
    byte[] ePriv = e[0];
    byte[] ePub = e[1];
    ss.mixHash(ePub);
    ss.mixKey(NoiseIdentity.dh(ePriv, re));
    byte[] encS = ss.encryptAndHash(id.staticPublic());
    ss.mixKey(id.dhStatic(re));
    byte[] encP = ss.encryptAndHash(id.payload(earlyMuxer));
    writeMessage(out, concat(ePub, encS, encP));

    byte[] msg3 = readMessage(in);
    if (msg3.length < 48 + CipherState.TAG) {
      throw new WireException("noise message 3 too short: " + msg3.length + " bytes");
    }
    byte[] rs = ss.decryptAndHash(Arrays.copyOfRange(msg3, 0, 48));
    ss.mixKey(NoiseIdentity.dh(ePriv, rs));
    NoisePayload remote = NoisePayload.decode(ss.decryptAndHash(Arrays.copyOfRange(msg3, 48, msg3.length)));
    NodePublicKey remoteKey = verify(remote, rs, null);
    CipherState[] keys = ss.split();
    return new Result(remoteKey, PeerId.of(remoteKey), remote.streamMuxers(), keys[1], keys[0]);
  }

  private static NodePublicKey verify(NoisePayload payload, byte[] remoteStatic, PeerId expected)
      throws WireException {
    NodePublicKey key = PublicKeyProto.decode(payload.identityKey());
    if (!key.verifies(concat(NoiseIdentity.SIG_PREFIX, remoteStatic), payload.identitySig())) {
      throw new WireException("noise identity signature does not verify");
    }
    if (expected != null && !expected.equals(PeerId.of(key))) {
      throw new WireException("remote is " + PeerId.of(key) + ", expected " + expected);
    }
    return key;
  }

  static void writeMessage(OutputStream out, byte[] msg) throws IOException {
    byte[] framed = new byte[2 + msg.length];
    framed[0] = (byte) (msg.length >> 8);
    framed[1] = (byte) msg.length;
    System.arraycopy(msg, 0, framed, 2, msg.length);
    out.write(framed);
    out.flush();
  }

  static byte[] readMessage(InputStream in) throws IOException {
    int hi = in.read();
    int lo = in.read();
    if (hi < 0 || lo < 0) {
      throw new EOFException("connection closed during the noise handshake");
    }
    int len = (hi << 8) | lo;
    byte[] msg = in.readNBytes(len);
    if (msg.length != len) {
      throw new EOFException("connection closed inside a noise handshake message");
    }
    return msg;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }
}
