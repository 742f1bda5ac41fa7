package io.fedsearch.web.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.query.PeerStanding;
import io.fedsearch.core.keys.NodeKey;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Per-peer series stay bounded: the busiest peers keep a label each, the rest are summed as "other". */
class PeerMetersTest {
  private static PeerStanding.Record record(PeerId peer, long answers, long forged) {
    return new PeerStanding.Record(peer, "p", null, answers, 0, 0, forged, 0, 0, 0.8, 1.0, null, null);
  }

  @Test
  void aFloodOfPeerIdsBecomesOneOtherSeriesThatStillCounts() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PeerMeters meters = new PeerMeters(registry);
    List<PeerStanding.Record> records = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      records.add(record(PeerId.of(NodeKey.generate().publicKey()), 1000 - i, i == 99 ? 3 : 0));
    }
    meters.refresh(records);
    Set<String> labels = registry.find("fedsearch_peer_answers_total").functionCounters().stream()
        .map(c -> c.getId().getTag("peer")).collect(Collectors.toSet());
    assertThat(labels).hasSize(PeerMeters.MAX_PEERS + 1).contains(PeerMeters.OTHER);
    // the 16 busiest have their own label
    for (int i = 0; i < PeerMeters.MAX_PEERS; i++) {
      assertThat(labels).contains(records.get(i).peer().toString());
    }
    double total = registry.find("fedsearch_peer_answers_total").functionCounters().stream()
        .mapToDouble(FunctionCounter::count).sum();
    assertThat(total).isEqualTo(records.stream().mapToLong(PeerStanding.Record::answers).sum());
    // the quietest peer forged: "other" says so
    assertThat(registry.find("fedsearch_peer_forged_total").tag("peer", PeerMeters.OTHER).functionCounter().count())
        .isEqualTo(3);

    // more peers later: still no new series
    List<PeerStanding.Record> more = new ArrayList<>(records);
    for (int i = 0; i < 50; i++) {
      more.add(record(PeerId.of(NodeKey.generate().publicKey()), 5000, 0));
    }
    meters.refresh(more);
    assertThat(registry.find("fedsearch_peer_answers_total").functionCounters()).hasSize(PeerMeters.MAX_PEERS + 1);
    assertThat(registry.scrape().lines().filter(l -> l.startsWith("fedsearch_peer_")).count())
        .isEqualTo(7L * (PeerMeters.MAX_PEERS + 1));
  }
}
