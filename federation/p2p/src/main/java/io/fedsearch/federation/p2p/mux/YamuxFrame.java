package io.fedsearch.federation.p2p.mux;

import io.fedsearch.federation.p2p.wire.WireException;

/** The 12-byte yamux header: {@code version u8 | type u8 | flags u16 | streamId u32 | length u32}, big-endian. */
public record YamuxFrame(int type, int flags, int streamId, long length) {
  public static final int HEADER = 12;
  public static final int DATA = 0;
  public static final int WINDOW_UPDATE = 1;
  public static final int PING = 2;
  public static final int GO_AWAY = 3;
  public static final int SYN = 1;
  public static final int ACK = 2;
  public static final int FIN = 4;
  public static final int RST = 8;

  public byte[] encode() {
    byte[] h = new byte[HEADER];
    h[1] = (byte) type;
    h[2] = (byte) (flags >> 8);
    h[3] = (byte) flags;
    h[4] = (byte) (streamId >> 24);
    h[5] = (byte) (streamId >> 16);
    h[6] = (byte) (streamId >> 8);
    h[7] = (byte) streamId;
    h[8] = (byte) (length >> 24);
    h[9] = (byte) (length >> 16);
    h[10] = (byte) (length >> 8);
    h[11] = (byte) length;
    return h;
  }

  /** Decodes and validates a header (version, type, flag bits). */
  public static YamuxFrame decode(byte[] h) throws WireException {
    if (h.length != HEADER) {
      throw new WireException("yamux header must be 12 bytes");
    }
    if (h[0] != 0) {
      throw new WireException("yamux version " + (h[0] & 0xFF) + " is not 0");
    }
    int type = h[1] & 0xFF;
    if (type > GO_AWAY) {
      throw new WireException("unknown yamux frame type " + type);
    }
    int flags = ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
    if ((flags & ~0xF) != 0) {
      throw new WireException("unknown yamux flags 0x" + Integer.toHexString(flags));
    }
    int id = ((h[4] & 0xFF) << 24) | ((h[5] & 0xFF) << 16) | ((h[6] & 0xFF) << 8) | (h[7] & 0xFF);
    long len = ((long) (h[8] & 0xFF) << 24) | ((h[9] & 0xFF) << 16) | ((h[10] & 0xFF) << 8) | (h[11] & 0xFF);
    return new YamuxFrame(type, flags, id, len);
  }
}
