package io.fedsearch.bench.payments;

import java.util.SplittableRandom;

/**
 * A month of purchases for {@code fedsearch bench payouts --topology}: {@code users} users each buy
 * {@code perUser} works; each purchase goes to one of {@code platforms} platforms drawn by Zipf popularity (so a
 * user who buys a hundred times buys from nearly every platform, the big ones most), at a price log-uniform between
 * 1,000 and 100,000 drops, found through a serving node drawn uniformly from the platforms and, in the hub
 * topology, the hubs (which run search too). User {@code u} is a customer of hub {@code u % hubs}. Each user's
 * purchases come from a random stream of its own, so any slice of users is the same whichever part is replayed.
 */
final class MonthPlan {
  /** Receives one purchase. */
  @FunctionalInterface
  interface Visitor {
    void purchase(int user, int platform, long price, int server);
  }

  static final long MIN_PRICE = 1_000;
  static final long MAX_PRICE = 100_000;

  final int platforms;
  final int hubs;
  final int users;
  final int perUser;
  private final Zipf zipf;
  private final long seed;

  MonthPlan(int platforms, int hubs, int users, int perUser, double zipf, long seed) {
    this.platforms = platforms;
    this.hubs = hubs;
    this.users = users;
    this.perUser = perUser;
    this.zipf = new Zipf(platforms, zipf);
    this.seed = seed;
  }

  /** Serving nodes: the platforms (0..platforms-1), then the hubs. */
  int servers() {
    return platforms + hubs;
  }

  int hubOf(int user) {
    return user % Math.max(1, hubs);
  }

  /** Every purchase of users {@code from} (inclusive) to {@code to} (exclusive), user by user, in order. */
  void forEach(int from, int to, Visitor v) {
    for (int u = from; u < to; u++) {
      SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + u);
      for (int j = 0; j < perUser; j++) {
        int platform = zipf.sample(r);
        long price = (long) Math.exp(Math.log(MIN_PRICE) + r.nextDouble() * (Math.log(MAX_PRICE) - Math.log(MIN_PRICE)));
        v.purchase(u, platform, price, r.nextInt(servers()));
      }
    }
  }
}
