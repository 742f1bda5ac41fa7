package io.fedsearch.bench.payments;

import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * The accept path of one topology, measured on the first users of a {@link MonthPlan}, through real nodes'
 * {@code PayeeChannels} (claim decoded, signature verified against the channel's key, journaled with group commit
 * before it counts): direct — each user's claim at the platform; hub — each user's claim at its hub and the hub's
 * claim over its own channel at the platform, the two streams at once. Claims are signed beforehand (timed apart:
 * signing is the payer's cost); each channel's claims are accepted in order by one lane, with up to
 * {@link AcceptLanes#IN_FLIGHT} per lane waiting for their commit.
 */
final class AcceptSample {
  /** What was measured. */
  record Result(long purchases, long claims, long accepted, long rejected, String firstRejection, double seconds,
      double cpuSeconds, double p50Ms, double p99Ms, double signPerS) {}

  private static final long USER_CHANNEL_DROPS = 100_000_000;
  private static final long HUB_CHANNEL_DROPS = 90_000_000_000_000L;

  private AcceptSample() {}

  static Result measure(MonthPlan plan, boolean hub, int sampleUsers, int lanes, Path dir) {
    PaymentsConfig cfg = PaymentsConfig.defaults().withProvisionalCaps(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);
    SimClock clock = new SimClock(Instant.now());
    List<Payments> platforms = new ArrayList<>();
    List<Payments> hubs = new ArrayList<>();
    try {
      for (int p = 0; p < plan.platforms; p++) {
        platforms.add(Payments.open(dir.resolve("platform" + p), NodeKey.generate(), cfg, PayoutTransport.unavailable(),
            clock));
      }
      for (int h = 0; hub && h < plan.hubs; h++) {
        hubs.add(Payments.open(dir.resolve("hub" + h), NodeKey.generate(), cfg, PayoutTransport.unavailable(), clock));
      }
      // the sample's purchases, in plan order
      int n = Math.min(plan.users, sampleUsers) * plan.perUser;
      int[] user = new int[n];
      int[] platform = new int[n];
      long[] price = new long[n];
      int[] k = {0};
      plan.forEach(0, Math.min(plan.users, sampleUsers), (u, p, pr, s) -> {
        user[k[0]] = u;
        platform[k[0]] = p;
        price[k[0]++] = pr;
      });
      int users = Math.min(plan.users, sampleUsers);
      XrplAccountKey[] keys = new XrplAccountKey[users];
      UserChannel[][] toPlatform = new UserChannel[users][plan.platforms];
      UserChannel[] toHub = new UserChannel[users];
      UserChannel[][] hubToPlatform = new UserChannel[Math.max(1, plan.hubs)][plan.platforms];
      AcceptLanes.parallel(lanes, lane -> {
        for (int u = lane; u < users; u += lanes) {
          keys[u] = XrplAccountKey.generate(KeyType.ED25519);
        }
      });
      for (int i = 0; i < n; i++) {
        int u = user[i];
        if (hub) {
          if (toHub[u] == null) {
            Payments h = hubs.get(plan.hubOf(u));
            toHub[u] = UserChannel.open(keys[u], h.account().address().value(), USER_CHANNEL_DROPS, 86_400,
                Optional.empty(), 1, 12);
            h.payee().learnChannelAsync(toHub[u].createBlob(), null);
          }
          int h = plan.hubOf(u);
          if (hubToPlatform[h][platform[i]] == null) {
            hubToPlatform[h][platform[i]] = UserChannel.open(hubs.get(h).account(),
                platforms.get(platform[i]).account().address().value(), HUB_CHANNEL_DROPS, 86_400, Optional.empty(),
                1 + platform[i], 12);
            platforms.get(platform[i]).payee().learnChannel(hubToPlatform[h][platform[i]].createBlob(), null);
          }
        } else if (toPlatform[u][platform[i]] == null) {
          toPlatform[u][platform[i]] = UserChannel.open(keys[u], platforms.get(platform[i]).account().address().value(),
              USER_CHANNEL_DROPS, 86_400, Optional.empty(), 1 + platform[i], 12);
          platforms.get(platform[i]).payee().learnChannelAsync(toPlatform[u][platform[i]].createBlob(), null);
        }
      }
      platforms.forEach(p -> p.db().barrier());
      hubs.forEach(h -> h.db().barrier());

      // signing, apart: users' claims (a lane per user), the hubs' claims (a lane per hub channel, in plan order)
      Claim[] first = new Claim[n];
      Claim[] second = hub ? new Claim[n] : null;
      long s0 = System.nanoTime();
      AcceptLanes.parallel(lanes, lane -> {
        for (int i = 0; i < n; i++) {
          if (user[i] % lanes == lane) {
            first[i] = hub ? toHub[user[i]].pay(price[i]) : toPlatform[user[i]][platform[i]].pay(price[i]);
          }
          if (hub && (plan.hubOf(user[i]) * plan.platforms + platform[i]) % lanes == lane) {
            second[i] = hubToPlatform[plan.hubOf(user[i])][platform[i]].pay(price[i]);
          }
        }
      });
      double signSeconds = (System.nanoTime() - s0) / 1e9;
      long claims = hub ? 2L * n : n;

      AcceptLanes.Latencies lat = new AcceptLanes.Latencies((int) claims);
      AcceptLanes.Outcome[] sides = new AcceptLanes.Outcome[hub ? 2 : 1];
      long cpu0 = processCpuNanos();
      long a0 = System.nanoTime();
      // Hub: users' claims at the hubs and the hubs' claims at the platforms flow at the same time, as they do
      // when purchases keep coming (each purchase's second claim follows its first by one round trip).
      AcceptLanes.parallel(hub ? 2 : 1, side -> {
        if (side == 0) {
          sides[0] = AcceptLanes.accept(lanes, n, i -> first[i].channel(), i -> (hub ? hubs.get(plan.hubOf(user[i]))
              : platforms.get(platform[i])).payee().acceptAsync(first[i], 0, null), lat, null);
        } else {
          sides[1] = AcceptLanes.accept(lanes, n, i -> second[i].channel(), i -> platforms.get(platform[i]).payee()
              .acceptAsync(second[i], 0, null), lat, null);
        }
      });
      long ok = 0;
      long bad = 0;
      String firstBad = null;
      for (AcceptLanes.Outcome o : sides) {
        ok += o.ok();
        bad += o.bad();
        firstBad = firstBad != null ? firstBad : o.firstBad();
      }
      double seconds = (System.nanoTime() - a0) / 1e9;
      double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
      return new Result(n, claims, ok, bad, firstBad, seconds, cpuSeconds, lat.pct(0.50),
          lat.pct(0.99), claims / signSeconds);
    } finally {
      platforms.forEach(Payments::close);
      hubs.forEach(Payments::close);
    }
  }

  /** This process's CPU time: claims per CPU second say what the code costs whatever else the machine runs. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }
}
