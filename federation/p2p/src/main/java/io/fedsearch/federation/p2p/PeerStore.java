package io.fedsearch.federation.p2p;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Addresses, protocols and agent of known peers, bounded in size, persisted as {@code peers.txt} in the host's data
 * directory (one {@code /…/p2p/<id>} multiaddr per line, written atomically) so a restarted node can reconnect.
 *
 * <p>Addresses are kept in two kinds. First-hand ones come from the peer itself (identify, its own provider record)
 * or from a dial that reached it; hints are what third parties (Kademlia answers, provider lists) say of it. Hints
 * are kept only for a peer with no first-hand address and are dialled after them, so no third party can displace
 * or outrank where a peer said it is. At {@value #MAX_PEERS} peers, a peer proven by a connection takes the place
 * of one known only from hints, else of the one seen longest ago; hints about new peers are dropped.
 */
public final class PeerStore {
  public static final String FILE = "peers.txt";
  static final int MAX_PEERS = 10_000;
  static final int MAX_ADDRS_PER_PEER = 8;
  private static final Logger LOG = Logger.getLogger(PeerStore.class.getName());

  private static final class Entry {
    final LinkedHashSet<Multiaddr> addrs = new LinkedHashSet<>();
    final LinkedHashSet<Multiaddr> hints = new LinkedHashSet<>();
    volatile List<String> protocols = List.of();
    volatile String agent = "";
    volatile long lastSeenMillis;
  }

  private final Map<PeerId, Entry> peers = new ConcurrentHashMap<>();
  private final Path file;

  PeerStore(Path dataDir) {
    this.file = dataDir == null ? null : dataDir.resolve(FILE);
  }

  /**
   * Records first-hand addresses for {@code peer} (stored without /p2p; newest first wins when the list is full):
   * ones it gave itself or a dial reached it at. They replace any hints.
   */
  public void addAddresses(PeerId peer, Collection<Multiaddr> addrs) {
    if (addrs.isEmpty()) {
      return;
    }
    Entry e = entryMakingRoom(peer);
    synchronized (e) {
      e.hints.clear();
      add(e.addrs, addrs);
    }
  }

  /**
   * Records what a third party says of {@code peer}'s addresses: kept only while the peer has no first-hand
   * address, and only when the store has room.
   */
  public void addHints(PeerId peer, Collection<Multiaddr> addrs) {
    if (addrs.isEmpty() || (peers.size() >= MAX_PEERS && !peers.containsKey(peer))) {
      return;
    }
    Entry e = peers.computeIfAbsent(peer, p -> new Entry());
    synchronized (e) {
      if (e.addrs.isEmpty()) {
        add(e.hints, addrs);
      }
    }
  }

  private static void add(LinkedHashSet<Multiaddr> into, Collection<Multiaddr> addrs) {
    for (Multiaddr a : addrs) {
      if (!a.isTcp()) {
        continue;
      }
      Multiaddr plain = a.withoutPeerId();
      into.remove(plain);
      if (into.size() >= MAX_ADDRS_PER_PEER) {
        into.remove(into.iterator().next());
      }
      into.add(plain);
    }
  }

  /** The entry of {@code peer}, evicting another when the store is full (first-hand evidence deserves room). */
  private Entry entryMakingRoom(PeerId peer) {
    Entry e = peers.get(peer);
    if (e != null) {
      return e;
    }
    if (peers.size() >= MAX_PEERS) {
      evictOne();
    }
    return peers.computeIfAbsent(peer, p -> new Entry());
  }

  /** Drops a peer known only from hints if there is one, else the one seen longest ago. */
  private void evictOne() {
    PeerId victim = null;
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<PeerId, Entry> en : peers.entrySet()) {
      Entry e = en.getValue();
      if (e.addrs.isEmpty()) {
        victim = en.getKey();
        break;
      }
      if (e.lastSeenMillis < oldest) {
        oldest = e.lastSeenMillis;
        victim = en.getKey();
      }
    }
    if (victim != null) {
      peers.remove(victim);
    }
  }

  /** Identify answered on a connection the peer proved its key on: its listen addresses are first-hand. */
  void identified(PeerId peer, List<Multiaddr> addrs, List<String> protocols, String agent) {
    record(peer, addrs, protocols, agent, false);
  }

  /**
   * The peer pushed what it is now (identify/push) on a connection it proved its key on. Fields it left out are
   * unchanged (the spec allows partial pushes): an empty protocol list keeps the protocols, an empty agent the agent.
   */
  void pushed(PeerId peer, List<Multiaddr> addrs, List<String> protocols, String agent) {
    record(peer, addrs, protocols, agent, true);
  }

  private void record(PeerId peer, List<Multiaddr> addrs, List<String> protocols, String agent, boolean partial) {
    addAddresses(peer, addrs);
    Entry e = entryMakingRoom(peer);
    if (!partial || !protocols.isEmpty()) {
      e.protocols = List.copyOf(protocols.subList(0, Math.min(protocols.size(), 64)));
    }
    if (!partial || !agent.isEmpty()) {
      e.agent = agent.length() > 128 ? agent.substring(0, 128) : agent;
    }
    e.lastSeenMillis = System.currentTimeMillis();
  }

  void seen(PeerId peer) {
    Entry e = peers.get(peer);
    if (e != null) {
      e.lastSeenMillis = System.currentTimeMillis();
    }
  }

  public List<Multiaddr> addresses(PeerId peer) {
    Entry e = peers.get(peer);
    if (e == null) {
      return List.of();
    }
    synchronized (e) {
      List<Multiaddr> out = new ArrayList<>(e.addrs);
      java.util.Collections.reverse(out); // most recently learned first
      List<Multiaddr> hints = new ArrayList<>(e.hints);
      java.util.Collections.reverse(hints);
      out.addAll(hints); // a hint is only tried after every first-hand address
      return out;
    }
  }

  public Optional<PeerInfo> get(PeerId peer) {
    Entry e = peers.get(peer);
    return e == null ? Optional.empty() : Optional.of(new PeerInfo(peer, addresses(peer), e.protocols, e.agent));
  }

  /** The agent the peer named in identify; empty until it has identified. */
  public Optional<String> agentVersion(PeerId peer) {
    Entry e = peers.get(peer);
    return e == null ? Optional.empty() : Optional.ofNullable(e.agent);
  }

  public List<PeerId> peers() {
    return List.copyOf(peers.keySet());
  }

  public void remove(PeerId peer) {
    peers.remove(peer);
  }

  /** Writes known peers with addresses, most recently seen first. */
  void save() {
    if (file == null) {
      return;
    }
    List<Map.Entry<PeerId, Entry>> all = new ArrayList<>(peers.entrySet());
    all.sort((a, b) -> Long.compare(b.getValue().lastSeenMillis, a.getValue().lastSeenMillis));
    StringBuilder sb = new StringBuilder("# fedsearch known libp2p peers, most recently seen first\n");
    for (Map.Entry<PeerId, Entry> en : all) {
      for (Multiaddr a : addresses(en.getKey())) {
        sb.append(a.withPeerId(en.getKey())).append('\n');
      }
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(FILE + ".tmp");
      Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warning("cannot save " + file + ": " + e.getMessage());
    }
  }

  /** Loads {@code peers.txt}; returns the peers in file order (bad lines are logged and skipped). */
  List<PeerId> load() {
    List<PeerId> order = new ArrayList<>();
    if (file == null || !Files.isRegularFile(file)) {
      return order;
    }
    try {
      int lineNo = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lineNo++;
        if (line.isBlank() || line.startsWith("#") || lineNo > MAX_PEERS * 2) {
          continue;
        }
        try {
          Multiaddr a = Multiaddr.parse(line.trim());
          PeerId id = a.peerId().orElseThrow(() -> new IllegalArgumentException("no /p2p component"));
          addAddresses(id, List.of(a));
          if (!order.contains(id)) {
            order.add(id);
          }
        } catch (IllegalArgumentException e) {
          LOG.warning(file + ":" + lineNo + ": skipped: " + e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.warning("cannot read " + file + ": " + e.getMessage());
    }
    return order;
  }
}
