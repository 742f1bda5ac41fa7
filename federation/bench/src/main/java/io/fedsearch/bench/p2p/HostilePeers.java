package io.fedsearch.bench.p2p;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.Stream;
import io.fedsearch.federation.p2p.crypto.NoiseHandshake;
import io.fedsearch.federation.p2p.crypto.NoiseIdentity;
import io.fedsearch.federation.p2p.crypto.SecureChannel;
import io.fedsearch.federation.p2p.kad.KadMessage;
import io.fedsearch.federation.p2p.mss.Multistream;
import io.fedsearch.federation.p2p.mux.YamuxFrame;
import io.fedsearch.federation.p2p.protocol.Ping;
import io.fedsearch.federation.p2p.wire.LengthPrefixed;
import io.fedsearch.core.keys.NodeKey;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attacker peers for the hostile-peer bench: each attack runs against a list of hosts on its own threads, over
 * real sockets, until closed — and comes back when a host cuts it off, as a real attacker would. The attacks are
 * the ones issue 19 reproduced: a peer that makes a host write and stops reading, a ping flood, handshakes that
 * never finish, PUT_VALUE floods and Sybil provider records.
 */
public final class HostilePeers {
  private HostilePeers() {}

  /** An attack in progress: {@link #close} stops it and releases its sockets and hosts. */
  public static final class Attack implements AutoCloseable {
    private final String name;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private final AtomicLong actions = new AtomicLong();
    private volatile boolean stopped;

    private Attack(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    /** What the attack sent so far: connections opened, messages or batches sent. */
    public long actions() {
      return actions.get();
    }

    boolean running() {
      return !stopped;
    }

    void loop(String what, Body body) {
      threads.add(Thread.ofVirtual().name("attack-" + what).start(() -> {
        while (!stopped) {
          try {
            body.run();
          } catch (IOException | RuntimeException cutOff) {
            pause(50); // the host cut this attempt off: come back
          }
        }
      }));
    }

    <T extends AutoCloseable> T hold(T resource) {
      resources.add(resource);
      return resource;
    }

    @Override
    public void close() {
      stopped = true;
      for (AutoCloseable r : resources) {
        try {
          r.close();
        } catch (Exception ignored) {
          // tearing down
        }
      }
      for (Thread t : threads) {
        t.interrupt();
        try {
          t.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  interface Body {
    void run() throws IOException;
  }

  /** A dialer that does the handshake by hand and then sends raw yamux frames. */
  private static final class RawPeer implements AutoCloseable {
    final Socket socket = new Socket();
    SecureChannel channel;

    RawPeer(Multiaddr target, int receiveBuffer) throws IOException {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(target.socketAddress(), 5000);
      socket.setSoTimeout(10_000);
      BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
      Multistream.select(in, socket.getOutputStream(), "/noise");
      NoiseHandshake.Result keys = NoiseHandshake.initiate(in, socket.getOutputStream(),
          new NoiseIdentity(NodeKey.generate()), false, null);
      channel = new SecureChannel(in, socket.getOutputStream(), keys);
      Multistream.select(channel.input(), channel.output(), NoiseIdentity.YAMUX);
    }

    void frame(int type, int flags, int id, byte[] data, long length) throws IOException {
      channel.write(new YamuxFrame(type, flags, id, length).encode(), data, 0, data == null ? 0 : data.length);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Per target, a peer that opens ping streams full of data and never reads the echoes: the host's writes back up.
   * It answers the host's first keepalive (value 0) blindly, then keeps the connection until the host cuts it.
   */
  public static Attack stalledReader(List<Multiaddr> targets) {
    Attack a = new Attack("stalled-reader");
    byte[] proposal = Multistream.proposalWith(Ping.PROTOCOL, new byte[0]);
    byte[] pings = new byte[32 * 1024];
    for (Multiaddr t : targets) {
      a.loop("stalled-reader", () -> {
        try (RawPeer p = a.hold(new RawPeer(t, 4096))) {
          a.actions.incrementAndGet();
          p.frame(YamuxFrame.PING, YamuxFrame.ACK, 0, null, 0);
          for (int s = 0; s < 64 && a.running(); s++) {
            int id = 1 + 2 * s;
            p.frame(YamuxFrame.DATA, YamuxFrame.SYN, id, proposal, proposal.length);
            for (int k = 0; k < 6; k++) { // 192 KiB: within the stream's window
              p.frame(YamuxFrame.DATA, 0, id, pings, pings.length);
            }
          }
          while (a.running()) { // hold it; a write fails once the host has closed the connection
            pause(250);
            p.frame(YamuxFrame.WINDOW_UPDATE, 0, 1, null, 0);
          }
        }
      });
    }
    return a;
  }

  /** Per target, a peer that sends ping SYNs as fast as it can and reads nothing. */
  public static Attack pingFlood(List<Multiaddr> targets) {
    Attack a = new Attack("ping-flood");
    byte[] batch = new byte[YamuxFrame.HEADER * 4096];
    for (int i = 0; i < 4096; i++) {
      System.arraycopy(new YamuxFrame(YamuxFrame.PING, YamuxFrame.SYN, 0, i).encode(), 0, batch,
          i * YamuxFrame.HEADER, YamuxFrame.HEADER);
    }
    for (Multiaddr t : targets) {
      a.loop("ping-flood", () -> {
        try (RawPeer p = a.hold(new RawPeer(t, 4096))) {
          p.frame(YamuxFrame.PING, YamuxFrame.ACK, 0, null, 0);
          while (a.running()) {
            p.channel.write(batch);
            a.actions.incrementAndGet();
          }
        }
      });
    }
    return a;
  }

  /**
   * TCP connections from {@code from} (another loopback address is another source) that never say a word, opened
   * at {@code perSecond} per target and held (the oldest closed beyond 256 per target).
   */
  public static Attack handshakeFlood(List<Multiaddr> targets, InetAddress from, int perSecond) {
    Attack a = new Attack("handshake-flood");
    for (Multiaddr t : targets) {
      ArrayDeque<Socket> open = new ArrayDeque<>();
      a.hold(() -> {
        synchronized (open) {
          for (Socket s : open) {
            s.close();
          }
        }
      });
      a.loop("handshake-flood", () -> {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(t.socketAddress(), 2000);
        a.actions.incrementAndGet();
        synchronized (open) {
          open.add(s);
          if (open.size() > 256) {
            open.poll().close();
          }
        }
        pause(Math.max(1, 1000 / perSecond));
      });
    }
    return a;
  }

  /** An attacker host that sends 64 KiB PUT_VALUE records under fresh keys to every target, from 2 threads each. */
  public static Attack putValueFlood(List<Multiaddr> targets, String kadProtocol) throws IOException {
    Attack a = new Attack("put-value-flood");
    Host attacker = a.hold(Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build());
    attacker.start();
    byte[] value = new byte[64 * 1024];
    for (Multiaddr t : targets) {
      for (int thread = 0; thread < 2; thread++) {
        a.loop("put-value", () -> {
          byte[] key = ("/junk/" + a.actions.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
          KadMessage put = new KadMessage(KadMessage.PUT_VALUE, key, new KadMessage.Record(key, value, ""),
              List.of(), List.of());
          try (Stream s = attacker.newStream(t, kadProtocol)) {
            s.setReadTimeout(Duration.ofSeconds(5));
            LengthPrefixed.write(s.out(), put.encode());
            s.closeWrite();
            LengthPrefixed.read(s.in(), 1 << 20);
          }
        });
      }
    }
    return a;
  }

  /**
   * Fresh identities, each announcing itself over its own connection as a provider of {@code key} to every target,
   * {@code perCycle} at a time, cycle after cycle.
   */
  public static Attack sybilProviders(List<Multiaddr> targets, byte[] key, String kadProtocol, int perCycle) {
    Attack a = new Attack("sybil-providers");
    a.loop("sybil", () -> {
      List<Host> cycle = new ArrayList<>();
      try {
        for (int i = 0; i < perCycle && a.running(); i++) {
          Host sybil = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build();
          cycle.add(sybil);
          sybil.start();
          List<Multiaddr> self = sybil.listenAddresses().stream().map(Multiaddr::withoutPeerId).toList();
          KadMessage add = new KadMessage(KadMessage.ADD_PROVIDER, key, null, List.of(),
              List.of(new KadMessage.Peer(sybil.peerId(), self)));
          for (Multiaddr t : targets) {
            try (Stream s = sybil.newStream(t, kadProtocol)) {
              LengthPrefixed.write(s.out(), add.encode());
              s.closeWrite();
              s.setReadTimeout(Duration.ofSeconds(5));
              LengthPrefixed.read(s.in(), 1 << 20);
              a.actions.incrementAndGet();
            } catch (IOException refused) {
              // counted by the host; carry on with the next
            }
          }
        }
      } finally {
        cycle.forEach(Host::stop); // the identities go away; their records stay until they expire
      }
    });
    return a;
  }
}
