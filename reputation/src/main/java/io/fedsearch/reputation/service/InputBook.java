package io.fedsearch.reputation.service;

import io.fedsearch.reputation.model.CreatorObservation;
import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.SignalObservation;
import io.fedsearch.reputation.score.SignalTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service's inputs in memory, interned to dense indices (platforms, CIDs, creators) so a recompute builds a
 * primitive {@link SignalTable} without re-parsing strings. Not thread-safe; the service serialises access.
 */
final class InputBook {
  final List<NodePublicKey> platforms = new ArrayList<>();
  final Map<NodePublicKey, Integer> platformIds = new HashMap<>();
  final List<String> creators = new ArrayList<>();
  final Map<String, Integer> creatorIds = new HashMap<>();
  private final Map<String, Integer> cidIds = new HashMap<>();
  private int[] cidCreator = new int[1024];
  private final TreeMap<Long, Release> releases = new TreeMap<>();
  private final TreeMap<Long, CreatorRelease> creatorReleases = new TreeMap<>();
  private final Map<List<NodePublicKey>, PlatformEdge> edges = new LinkedHashMap<>();
  private long latestEpoch = -1;

  /** One platform's rows for one epoch. */
  private record Release(int platform, int epoch, int[] cid, float[] payers, float[] sum, float[] payerSd,
      float[] sumSd, float[] threshold, int[] span, int[] nodes) {}

  /** One platform's creator-unit rows for one epoch. */
  private record CreatorRelease(int platform, int epoch, int[] creator, float[] payers, float[] sum, int[] span,
      int[] nodes, float[] payerSd, float[] sumSd, float[] threshold) {}

  int platformId(NodePublicKey key) {
    Integer id = platformIds.get(key);
    if (id == null) {
      id = platforms.size();
      platforms.add(key);
      platformIds.put(key, id);
    }
    return id;
  }

  private int creatorId(String creator) {
    Integer id = creatorIds.get(creator);
    if (id == null) {
      id = creators.size();
      creators.add(creator);
      creatorIds.put(creator, id);
    }
    return id;
  }

  private int cidId(String cid) {
    Integer id = cidIds.get(cid);
    if (id == null) {
      id = cidIds.size();
      cidIds.put(cid, id);
      if (id >= cidCreator.length) {
        int old = cidCreator.length;
        cidCreator = Arrays.copyOf(cidCreator, old * 2);
        Arrays.fill(cidCreator, old, cidCreator.length, -1);
      }
      cidCreator[id] = -1;
    }
    return id;
  }

  void putCreator(String cid, String creator) {
    int c = cidId(cid);
    if (cidCreator[c] < 0) {
      cidCreator[c] = creatorId(creator);
    }
  }

  void replaceRelease(NodePublicKey platform, long epoch, List<SignalObservation> rows) {
    int p = platformId(platform);
    int n = rows.size();
    Release r = new Release(p, (int) epoch, new int[n], new float[n], new float[n], new float[n], new float[n],
        new float[n], new int[n], new int[n]);
    for (int i = 0; i < n; i++) {
      SignalObservation o = rows.get(i);
      r.cid[i] = cidId(o.cid());
      r.payers[i] = (float) o.noisyPayers();
      r.sum[i] = (float) o.noisySum();
      r.payerSd[i] = (float) o.payerNoiseStddev();
      r.sumSd[i] = (float) o.sumNoiseStddev();
      r.threshold[i] = (float) o.releaseThreshold();
      r.span[i] = o.span();
      r.nodes[i] = o.nodes();
    }
    releases.put(((long) p << 32) | epoch, r);
    latestEpoch = Math.max(latestEpoch, epoch);
  }

  void replaceCreatorRelease(NodePublicKey platform, long epoch, List<CreatorObservation> rows) {
    int p = platformId(platform);
    int n = rows.size();
    CreatorRelease r = new CreatorRelease(p, (int) epoch, new int[n], new float[n], new float[n], new int[n],
        new int[n], new float[n], new float[n], new float[n]);
    for (int i = 0; i < n; i++) {
      CreatorObservation o = rows.get(i);
      r.creator[i] = creatorId(o.creator());
      r.payers[i] = (float) o.noisyPayers();
      r.sum[i] = (float) o.noisySum();
      r.span[i] = o.span();
      r.nodes[i] = o.nodes();
      r.payerSd[i] = (float) o.payerNoiseStddev();
      r.sumSd[i] = (float) o.sumNoiseStddev();
      r.threshold[i] = (float) o.releaseThreshold();
    }
    creatorReleases.put(((long) p << 32) | epoch, r);
    latestEpoch = Math.max(latestEpoch, epoch);
  }

  void putEdge(PlatformEdge e) {
    platformId(e.from());
    platformId(e.to());
    edges.put(List.of(e.from(), e.to()), e);
  }

  List<PlatformEdge> edges() {
    return List.copyOf(edges.values());
  }

  long latestEpoch() {
    return latestEpoch;
  }

  int rowCount() {
    int n = 0;
    for (Release r : releases.values()) {
      n += r.cid.length;
    }
    for (CreatorRelease r : creatorReleases.values()) {
      n += r.creator.length;
    }
    return n;
  }

  /** Rows whose CID has a known creator, as a table; creator and platform indices are this book's. */
  SignalTable table() {
    SignalTable t = new SignalTable(rowCount());
    t.ensureCreators(creators.size());
    t.ensurePlatforms(platforms.size());
    for (Release r : releases.values()) {
      Map<List<Number>, Integer> byParams = new HashMap<>();
      for (int i = 0; i < r.cid.length; i++) {
        int creator = cidCreator[r.cid[i]];
        if (creator < 0) {
          continue;
        }
        final int idx = i;
        int rel = byParams.computeIfAbsent(List.of(r.span[i], r.nodes[i], r.payerSd[i], r.sumSd[i], r.threshold[i]),
            k -> t.addRelease(r.platform, r.epoch, r.span[idx], r.nodes[idx], r.payerSd[idx], r.sumSd[idx],
                r.threshold[idx]));
        t.addRow(creator, rel, r.payers[i], r.sum[i]);
      }
    }
    for (CreatorRelease r : creatorReleases.values()) {
      Map<List<Number>, Integer> byParams = new HashMap<>();
      for (int i = 0; i < r.creator.length; i++) {
        final int idx = i;
        int rel = byParams.computeIfAbsent(List.of(r.span[i], r.nodes[i], r.payerSd[i], r.sumSd[i], r.threshold[i]),
            k -> t.addCreatorRelease(r.platform, r.epoch, r.span[idx], r.nodes[idx], r.payerSd[idx], r.sumSd[idx],
                r.threshold[idx]));
        t.addRow(r.creator[i], rel, r.payers[i], r.sum[i]);
      }
    }
    t.ensureCreators(creators.size());
    return t;
  }
}
