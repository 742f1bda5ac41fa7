package io.fedsearch.federation.p2p;

import io.fedsearch.core.cid.Varint;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A multiaddr in text ({@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…}) and binary form. Understood protocols: ip4,
 * ip6, dns, dns4, dns6, tcp, udp, p2p; anything else is rejected with a message naming it.
 */
public final class Multiaddr {
  public static final int MAX_BYTES = 512;

  /** One protocol of a multiaddr with its value as text. */
  public record Component(Proto proto, String value) {}

  /** The protocols we read and write. Size -1 = varint-length-prefixed value, 0 = no value. */
  public enum Proto {
    IP4(0x04, "ip4", 4),
    TCP(0x06, "tcp", 2),
    UDP(0x0111, "udp", 2),
    IP6(0x29, "ip6", 16),
    DNS(0x35, "dns", -1),
    DNS4(0x36, "dns4", -1),
    DNS6(0x37, "dns6", -1),
    P2P(0x01A5, "p2p", -1);

    final int code;
    final String name;
    final int size;

    Proto(int code, String name, int size) {
      this.code = code;
      this.name = name;
      this.size = size;
    }

    static Proto byName(String name) {
      for (Proto p : values()) {
        if (p.name.equals(name) || (p == P2P && name.equals("ipfs"))) {
          return p;
        }
      }
      throw new IllegalArgumentException("unsupported multiaddr protocol /" + name);
    }

    static Proto byCode(long code) {
      for (Proto p : values()) {
        if (p.code == code) {
          return p;
        }
      }
      throw new IllegalArgumentException("unsupported multiaddr protocol code 0x" + Long.toHexString(code));
    }
  }

  private final List<Component> components;

  private Multiaddr(List<Component> components) {
    this.components = List.copyOf(components);
  }

  public static Multiaddr parse(String text) {
    if (text == null || !text.startsWith("/") || text.length() > 1024) {
      throw new IllegalArgumentException("invalid multiaddr '" + text + "': must start with '/'");
    }
    String[] parts = text.substring(1).split("/", -1);
    List<Component> out = new ArrayList<>();
    try {
      for (int i = 0; i < parts.length; i++) {
        Proto p = Proto.byName(parts[i]);
        if (i + 1 >= parts.length) {
          throw new IllegalArgumentException("/" + p.name + " needs a value");
        }
        out.add(new Component(p, canonical(p, parts[++i])));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid multiaddr '" + text + "': " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("invalid multiaddr '" + text + "': empty");
    }
    return new Multiaddr(out);
  }

  private static String canonical(Proto p, String value) {
    return switch (p) {
      case IP4, IP6 -> {
        if (value.isEmpty() || !value.matches(p == Proto.IP4 ? "[0-9.]+" : "[0-9a-fA-F:.]+")) {
          throw new IllegalArgumentException("invalid /" + p.name + " address " + value);
        }
        yield ipText(ipBytes(p, value));
      }
      case TCP, UDP -> {
        int port;
        try {
          port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("invalid port " + value);
        }
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("port out of range: " + value);
        }
        yield Integer.toString(port);
      }
      case DNS, DNS4, DNS6 -> {
        if (value.isEmpty() || value.length() > 253) {
          throw new IllegalArgumentException("invalid host name");
        }
        yield value;
      }
      case P2P -> PeerId.parse(value).toBase58();
    };
  }

  private static byte[] ipBytes(Proto p, String value) {
    if (p == Proto.IP4) {
      String[] octets = value.split("\\.", -1);
      if (octets.length != 4) {
        throw new IllegalArgumentException("invalid /ip4 address " + value);
      }
      byte[] raw = new byte[4];
      for (int i = 0; i < 4; i++) {
        if (octets[i].isEmpty() || octets[i].length() > 3) {
          throw new IllegalArgumentException("invalid /ip4 address " + value);
        }
        int o = Integer.parseInt(octets[i]);
        if (o > 255) {
          throw new IllegalArgumentException("invalid /ip4 address " + value);
        }
        raw[i] = (byte) o;
      }
      return raw;
    }
    if (!value.contains(":")) { // without a colon InetAddress would treat it as a host name and query DNS
      throw new IllegalArgumentException("invalid /ip6 address " + value);
    }
    try {
      InetAddress a = InetAddress.getByName(value); // literal only: validated by the regex above, no DNS lookup
      byte[] raw = a.getAddress();
      if (raw.length != p.size) {
        throw new IllegalArgumentException("not an " + p.name + " address: " + value);
      }
      return raw;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("invalid /" + p.name + " address " + value);
    }
  }

  private static String ipText(byte[] raw) {
    try {
      InetAddress a = InetAddress.getByAddress(raw);
      return a instanceof Inet6Address ? ip6Text(raw) : a.getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as "::". */
  private static String ip6Text(byte[] raw) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((raw[2 * i] & 0xFF) << 8) | (raw[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  public static Multiaddr fromBytes(byte[] raw) {
    if (raw.length > MAX_BYTES || raw.length == 0) {
      throw new IllegalArgumentException("binary multiaddr must be 1.." + MAX_BYTES + " bytes");
    }
    ByteBuffer buf = ByteBuffer.wrap(raw);
    List<Component> out = new ArrayList<>();
    while (buf.hasRemaining()) {
      Proto p = Proto.byCode(Varint.read(buf));
      int size = p.size >= 0 ? p.size : (int) Math.min(Varint.read(buf), Integer.MAX_VALUE);
      if (size > buf.remaining()) {
        throw new IllegalArgumentException("binary multiaddr truncated in /" + p.name);
      }
      byte[] v = new byte[size];
      buf.get(v);
      out.add(new Component(p, switch (p) {
        case IP4, IP6 -> ipText(v);
        case TCP, UDP -> Integer.toString(((v[0] & 0xFF) << 8) | (v[1] & 0xFF));
        case DNS, DNS4, DNS6 -> new String(v, StandardCharsets.UTF_8);
        case P2P -> PeerId.fromBytes(v).toBase58();
      }));
    }
    return new Multiaddr(out);
  }

  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32);
    for (Component c : components) {
      Varint.write(c.proto.code, out);
      byte[] v = switch (c.proto) {
        case IP4, IP6 -> ipBytes(c.proto, c.value);
        case TCP, UDP -> {
          int port = Integer.parseInt(c.value);
          yield new byte[] {(byte) (port >> 8), (byte) port};
        }
        case DNS, DNS4, DNS6 -> c.value.getBytes(StandardCharsets.UTF_8);
        case P2P -> PeerId.parse(c.value).bytes();
      };
      if (c.proto.size < 0) {
        Varint.write(v.length, out);
      }
      out.writeBytes(v);
    }
    return out.toByteArray();
  }

  public static Multiaddr of(InetSocketAddress address) {
    InetAddress a = address.getAddress();
    Proto p = a instanceof Inet4Address ? Proto.IP4 : Proto.IP6;
    return new Multiaddr(List.of(new Component(p, ipText(a.getAddress())),
        new Component(Proto.TCP, Integer.toString(address.getPort()))));
  }

  public List<Component> components() {
    return components;
  }

  public Optional<PeerId> peerId() {
    for (Component c : components) {
      if (c.proto == Proto.P2P) {
        return Optional.of(PeerId.parse(c.value));
      }
    }
    return Optional.empty();
  }

  public Multiaddr withoutPeerId() {
    return new Multiaddr(components.stream().filter(c -> c.proto != Proto.P2P).toList());
  }

  public Multiaddr withPeerId(PeerId id) {
    List<Component> out = new ArrayList<>(withoutPeerId().components);
    out.add(new Component(Proto.P2P, id.toBase58()));
    return new Multiaddr(out);
  }

  /** True for {@code /ip4|ip6|dns*&#47;…/tcp/…} addresses this host can dial. */
  public boolean isTcp() {
    return components.size() >= 2
        && switch (components.get(0).proto) {
          case IP4, IP6, DNS, DNS4, DNS6 -> true;
          default -> false;
        }
        && components.get(1).proto == Proto.TCP;
  }

  /** The TCP endpoint, resolving dns names (dns4 → IPv4 only, dns6 → IPv6 only). */
  public InetSocketAddress socketAddress() throws UnknownHostException {
    if (!isTcp()) {
      throw new IllegalArgumentException("not a TCP multiaddr: " + this);
    }
    Component host = components.get(0);
    int port = Integer.parseInt(components.get(1).value);
    InetAddress address = switch (host.proto) {
      case IP4, IP6 -> InetAddress.getByAddress(ipBytes(host.proto, host.value));
      case DNS4 -> Arrays.stream(InetAddress.getAllByName(host.value)).filter(a -> a instanceof Inet4Address)
          .findFirst().orElseThrow(() -> new UnknownHostException("no IPv4 address for " + host.value));
      case DNS6 -> Arrays.stream(InetAddress.getAllByName(host.value)).filter(a -> a instanceof Inet6Address)
          .findFirst().orElseThrow(() -> new UnknownHostException("no IPv6 address for " + host.value));
      default -> InetAddress.getByName(host.value);
    };
    return new InetSocketAddress(address, port);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Component c : components) {
      sb.append('/').append(c.proto.name).append('/').append(c.value);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr other && components.equals(other.components);
  }

  @Override
  public int hashCode() {
    return components.hashCode();
  }
}
