package io.fedsearch.federation.payments.purchase;

import io.fedsearch.federation.payments.journal.PaymentsDb;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How often each attribution token paid for a purchase, durable in {@code token_uses} and mirrored in memory. A
 * use only matters while its token is valid (an expired token is refused anyway) and token validity is capped, so
 * entries are dropped once their token expires: memory and table stay bounded by the purchases of one validity
 * period, and a restart reloads only the tokens still valid.
 */
final class TokenUses {
  private record Use(AtomicInteger count, long expiresMs) {}

  /** Prune expired entries after this many new tokens (amortised: a sweep costs one pass over the map). */
  private static final int PRUNE_EVERY = 4096;

  private final PaymentsDb db;
  private final ConcurrentHashMap<String, Use> uses = new ConcurrentHashMap<>();
  private final AtomicInteger sincePrune = new AtomicInteger();

  TokenUses(PaymentsDb db, Instant now) {
    this.db = db;
    db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT token_id, uses, expires FROM token_uses WHERE expires IS NULL OR expires > ?")) {
        ps.setLong(1, now.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long expires = rs.getLong(3);
            uses.put(rs.getString(1), new Use(new AtomicInteger(rs.getInt(2)),
                rs.wasNull() ? Long.MAX_VALUE : expires));
          }
        }
      }
      return null;
    });
  }

  /** Counts one more use of {@code tokenId} (valid until {@code expires}); returns the uses so far. */
  int take(String tokenId, Instant expires, Instant now) {
    Use u = uses.get(tokenId);
    if (u == null) {
      u = uses.computeIfAbsent(tokenId, k -> new Use(new AtomicInteger(), expires.toEpochMilli()));
      if (sincePrune.incrementAndGet() >= PRUNE_EVERY) {
        sincePrune.set(0);
        prune(now);
      }
    }
    return u.count().incrementAndGet();
  }

  /** Undoes a {@link #take} whose purchase did not go through. */
  void giveBack(String tokenId) {
    Use u = uses.get(tokenId);
    if (u != null) {
      u.count().decrementAndGet();
    }
  }

  /** The sale's part of the journal write: one more durable use of the token. */
  void record(String tokenId, Instant expires) throws SQLException {
    PreparedStatement ps = db.statement("INSERT INTO token_uses(token_id, uses, expires) VALUES(?,1,?)"
        + " ON CONFLICT(token_id) DO UPDATE SET uses=uses+1");
    ps.setString(1, tokenId);
    ps.setLong(2, expires.toEpochMilli());
    ps.executeUpdate();
  }

  /** Forgets tokens that expired before {@code now}, in memory and (queued) in the table. */
  void prune(Instant now) {
    long cutoff = now.toEpochMilli();
    uses.values().removeIf(u -> u.expiresMs() < cutoff);
    db.submit(c -> {
      PreparedStatement ps = db.statement("DELETE FROM token_uses WHERE expires < ?");
      ps.setLong(1, cutoff);
      ps.executeUpdate();
    });
  }

  int size() {
    return uses.size();
  }
}
