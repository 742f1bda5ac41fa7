package io.fedsearch.federation.p2p.crypto;

import com.google.protobuf.CodedInputStream;
import io.fedsearch.federation.p2p.wire.Protobuf;
import io.fedsearch.federation.p2p.wire.WireException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The libp2p Noise handshake payload: {@code identity_key = 1} (PublicKey protobuf), {@code identity_sig = 2}
 * (Ed25519 over {@code "noise-libp2p-static-key:" || static X25519 key}) and {@code extensions = 4} whose
 * {@code stream_muxers = 2} carries the early-muxer offer.
 */
record NoisePayload(byte[] identityKey, byte[] identitySig, List<String> streamMuxers) {
  static final int MAX_BYTES = 4096;

  byte[] encode() {
    return Protobuf.encode(out -> {
      out.writeByteArray(1, identityKey);
      out.writeByteArray(2, identitySig);
      if (!streamMuxers.isEmpty()) {
        byte[] ext = Protobuf.encode(e -> {
          for (String m : streamMuxers) {
            e.writeString(2, m);
          }
        });
        out.writeByteArray(4, ext);
      }
    });
  }

  static NoisePayload decode(byte[] data) throws WireException {
    if (data.length > MAX_BYTES) {
      throw new WireException("noise payload of " + data.length + " bytes is too long");
    }
    try {
      CodedInputStream in = Protobuf.reader(data);
      byte[] key = null;
      byte[] sig = null;
      List<String> muxers = new ArrayList<>();
      for (int tag; (tag = in.readTag()) != 0; ) {
        switch (tag) {
          case 10 -> key = Protobuf.bytes(in, 1024);
          case 18 -> sig = Protobuf.bytes(in, 1024);
          case 34 -> {
            CodedInputStream ext = Protobuf.reader(Protobuf.bytes(in, MAX_BYTES));
            for (int t; (t = ext.readTag()) != 0; ) {
              if (t == 18 && muxers.size() < 16) {
                muxers.add(ext.readStringRequireUtf8());
              } else {
                ext.skipField(t);
              }
            }
          }
          default -> in.skipField(tag);
        }
      }
      if (key == null || sig == null) {
        throw new WireException("noise payload lacks identity_key or identity_sig");
      }
      return new NoisePayload(key, sig, List.copyOf(muxers));
    } catch (WireException e) {
      throw e;
    } catch (IOException e) {
      throw new WireException("malformed noise payload: " + e.getMessage(), e);
    }
  }
}
