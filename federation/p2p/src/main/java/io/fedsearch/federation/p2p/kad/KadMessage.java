package io.fedsearch.federation.p2p.kad;

import com.google.protobuf.CodedInputStream;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.wire.Protobuf;
import io.fedsearch.federation.p2p.wire.WireException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The kad-dht {@code Message}: {@code type = 1} (a missing type is PUT_VALUE, 0), {@code key = 2},
 * {@code record = 3}, {@code closerPeers = 8}, {@code providerPeers = 9}; {@code Peer} is {@code id = 1,
 * addrs = 2, connection = 3}; {@code Record} is {@code key = 1, value = 2, timeReceived = 5}.
 */
public record KadMessage(int type, byte[] key, Record record, List<Peer> closerPeers, List<Peer> providerPeers) {
  public static final int PUT_VALUE = 0;
  public static final int GET_VALUE = 1;
  public static final int ADD_PROVIDER = 2;
  public static final int GET_PROVIDERS = 3;
  public static final int FIND_NODE = 4;
  public static final int PING = 5;
  static final int MAX_PEERS = 64;

  /** A DHT record (key, value, RFC 3339 receive time). */
  public record Record(byte[] key, byte[] value, String timeReceived) {}

  /** A peer entry; addresses we cannot parse are dropped. */
  public record Peer(PeerId id, List<Multiaddr> addrs) {}

  public static KadMessage request(int type, byte[] key) {
    return new KadMessage(type, key, null, List.of(), List.of());
  }

  public byte[] encode() {
    return Protobuf.encode(out -> {
      if (type != 0) {
        out.writeEnum(1, type);
      }
      if (key != null) {
        out.writeByteArray(2, key);
      }
      if (record != null) {
        out.writeByteArray(3, Protobuf.encode(r -> {
          r.writeByteArray(1, record.key());
          r.writeByteArray(2, record.value());
          if (record.timeReceived() != null) {
            r.writeString(5, record.timeReceived());
          }
        }));
      }
      for (Peer p : closerPeers) {
        out.writeByteArray(8, encodePeer(p));
      }
      for (Peer p : providerPeers) {
        out.writeByteArray(9, encodePeer(p));
      }
    });
  }

  private static byte[] encodePeer(Peer p) {
    return Protobuf.encode(o -> {
      o.writeByteArray(1, p.id().bytes());
      for (Multiaddr a : p.addrs()) {
        o.writeByteArray(2, a.withoutPeerId().bytes());
      }
    });
  }

  public static KadMessage decode(byte[] data) throws WireException {
    int type = 0;
    byte[] key = null;
    Record record = null;
    List<Peer> closer = new ArrayList<>();
    List<Peer> providers = new ArrayList<>();
    try {
      CodedInputStream in = Protobuf.reader(data);
      for (int tag; (tag = in.readTag()) != 0; ) {
        switch (tag) {
          case 8 -> type = in.readEnum();
          case 18 -> key = Protobuf.bytes(in, 1024);
          case 26 -> record = decodeRecord(Protobuf.bytes(in, data.length));
          case 66 -> addPeer(closer, Protobuf.bytes(in, 8192));
          case 74 -> addPeer(providers, Protobuf.bytes(in, 8192));
          default -> in.skipField(tag);
        }
      }
    } catch (WireException e) {
      throw e;
    } catch (IOException e) {
      throw new WireException("malformed kad message: " + e.getMessage(), e);
    }
    if (type < 0 || type > PING) {
      throw new WireException("unknown kad message type " + type);
    }
    return new KadMessage(type, key, record, closer, providers);
  }

  private static Record decodeRecord(byte[] data) throws IOException {
    CodedInputStream in = Protobuf.reader(data);
    byte[] k = null;
    byte[] v = new byte[0];
    String time = null;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag) {
        case 10 -> k = Protobuf.bytes(in, 1024);
        case 18 -> v = Protobuf.bytes(in, data.length);
        case 42 -> time = new String(Protobuf.bytes(in, 64), StandardCharsets.UTF_8);
        default -> in.skipField(tag);
      }
    }
    return new Record(k, v, time);
  }

  private static void addPeer(List<Peer> out, byte[] data) throws IOException {
    if (out.size() >= MAX_PEERS) {
      return;
    }
    CodedInputStream in = Protobuf.reader(data);
    PeerId id = null;
    List<Multiaddr> addrs = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag) {
        case 10 -> {
          try {
            id = PeerId.fromBytes(Protobuf.bytes(in, PeerId.MAX_BYTES));
          } catch (IllegalArgumentException e) {
            return; // a peer we cannot name is useless
          }
        }
        case 18 -> {
          byte[] raw = Protobuf.bytes(in, Multiaddr.MAX_BYTES);
          if (addrs.size() < 16) {
            try {
              addrs.add(Multiaddr.fromBytes(raw).withoutPeerId());
            } catch (IllegalArgumentException ignored) {
              // other transports
            }
          }
        }
        default -> in.skipField(tag);
      }
    }
    if (id != null) {
      out.add(new Peer(id, addrs));
    }
  }
}
