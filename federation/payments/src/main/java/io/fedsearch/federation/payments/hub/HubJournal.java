package io.fedsearch.federation.payments.hub;

import io.fedsearch.federation.payments.journal.ClaimRows;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hub's table {@code hub_requests} in {@code payments.db}: one row per forwarded purchase, written through the
 * journal's group commit. A row is inserted {@code pending} in the same transaction as the user's claim that pays
 * for it, gets the hub's claim to the platform before that claim is sent, and is decided once (delivered or
 * credited) with the signed statement the user gets. A sale of this node's own listing is inserted already decided,
 * in one transaction with the sale ({@link #insertSold}). Every write here is durable when its method returns.
 */
final class HubJournal {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A journaled request. {@code platformClaim} is empty until the hub signed one for it. */
  record Row(String requestId, String channel, String cid, String platform, long price, long fee, String token,
      String receiptKey, String status, Optional<Claim> platformClaim, Optional<String> receipt,
      Optional<HubStatement> statement, Optional<String> reasonCode, Optional<String> reasonMessage) {
    long cost() {
      return price + fee;
    }

    HubAnswer answer() {
      return switch (status) {
        case HubAnswer.DELIVERED -> HubAnswer.delivered(receipt.orElseThrow(), statement.orElseThrow());
        case HubAnswer.CREDITED -> HubAnswer.credited(statement.orElseThrow(), reasonCode.orElse(""),
            reasonMessage.orElse(""));
        default -> HubAnswer.pending();
      };
    }
  }

  private final PaymentsDb db;
  /** This node's peer id: rows for its own listings are sales of its own ({@code sales}), not forwarded costs. */
  private final String self;

  HubJournal(PaymentsDb db, String self) {
    this.db = db;
    this.self = self;
  }

  /** What the channel paid this node for directly, as a platform (its own listings, over the purchase protocol). */
  long directSales(String channel) {
    return db.read(c -> directSales(c, channel));
  }

  /** {@link #directSales} of every channel that has any, in one read. */
  Map<String, Long> directSalesByChannel() {
    return sums("SELECT channel, sum(price) FROM sales GROUP BY channel");
  }

  private long directSales(java.sql.Connection c, String channel) throws SQLException {
    PreparedStatement ps = db.statement("SELECT coalesce(sum(price), 0) FROM sales WHERE channel=?");
    ps.setString(1, channel);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.getLong(1);
    }
  }

  /**
   * The insert of a new pending request, to run in the transaction that takes the user's claim. It checks there,
   * against what is durable in that very transaction, that the channel's best claim ({@code offered}, or the best
   * journaled when the request carries none) covers {@code owedToHub} (consumed + in flight + this cost) plus the
   * channel's direct sales — a direct purchase racing the request cannot spend the same value twice — and else
   * fails with {@code over_balance}, the claim needed in {@code needed[0]}.
   */
  PaymentsDb.Write insert(HubRequest q, Instant now, long owedToHub, long offered, long[] needed) {
    return c -> {
      long best = best(q.channel(), offered);
      long owed = owedToHub + directSales(c, q.channel());
      if (best < owed) {
        needed[0] = owed;
        throw new PaymentRejectedException(Rejection.OVER_BALANCE, "channel " + q.channel() + " has " + best
            + " drops authorised, " + owed + " needed with this purchase: sign a cumulative claim of " + owed);
      }
      PreparedStatement ps = db.statement("INSERT INTO hub_requests(request_id, channel, cid, platform, price, fee,"
          + " token, receipt_key, status, created_at) VALUES(?,?,?,?,?,?,?,?,'pending',?)");
      ps.setString(1, q.requestId());
      ps.setString(2, q.channel());
      ps.setString(3, q.cid().toString());
      ps.setString(4, q.platform().toString());
      ps.setLong(5, q.price());
      ps.setLong(6, q.hubFee());
      ps.setString(7, q.token());
      ps.setString(8, q.receiptKey().hex());
      ps.setLong(9, now.toEpochMilli());
      ps.executeUpdate();
    };
  }

  /** Signs the statement of an own-listing sale inside its transaction, from the figures durable there. */
  @FunctionalInterface
  interface OwnSaleStatement {
    HubStatement sign(long authorised, long directSales);
  }

  /**
   * One transaction for a sale of this node's own listing over the user's channel: the same balance check as
   * {@link #insert} ({@code offered}, else the best journaled claim, must cover {@code owedToHub} plus the
   * channel's sales so far), then the sale itself ({@code sale}: its row, token use and discovery fee), then the
   * request row already decided {@code delivered} with the receipt and the ack {@code statement} signs over the
   * figures after the sale. Nothing is ever pending: a crash leaves all of it or none of it (the user's claim, when
   * it rides along, is in the same transaction).
   */
  PaymentsDb.Write insertSold(HubRequest q, Instant now, long owedToHub, long offered, long[] needed,
      PaymentsDb.Write sale, java.util.function.Supplier<String> receipt, OwnSaleStatement statement,
      HubStatement[] signed) {
    return c -> {
      insert(q, now, owedToHub, offered, needed).apply(c);
      sale.apply(c);
      long best = best(q.channel(), offered);
      HubStatement s = statement.sign(best, directSales(c, q.channel()));
      String answer;
      try {
        answer = JSON.writeValueAsString(s.toMap());
      } catch (JsonProcessingException e) {
        throw new SQLException(e);
      }
      PreparedStatement ps = db.statement("UPDATE hub_requests SET status='delivered', receipt=?, answer=?,"
          + " decided_at=? WHERE request_id=? AND status='pending'");
      ps.setString(1, receipt.get());
      ps.setString(2, answer);
      ps.setLong(3, s.at().toEpochMilli());
      ps.setString(4, q.requestId());
      if (ps.executeUpdate() != 1) {
        throw new SQLException("hub request " + q.requestId() + " was not inserted");
      }
      signed[0] = s;
    };
  }

  /** {@code offered}, or when the request raises nothing (0) the channel's best claim durable in this transaction. */
  private long best(String channel, long offered) throws SQLException {
    if (offered != 0) {
      return offered;
    }
    PreparedStatement b = db.statement(ClaimRows.BEST_AMOUNT);
    b.setString(1, channel);
    try (ResultSet rs = b.executeQuery()) {
      return rs.getLong(1);
    }
  }

  /** Journals the hub's claim to the platform for {@code requestId}, before it is sent. */
  void platformClaim(String requestId, Claim claim) {
    db.write(c -> {
      PreparedStatement ps = db.statement("UPDATE hub_requests SET platform_channel=?, platform_claim=?,"
          + " platform_signature=? WHERE request_id=?");
      ps.setString(1, claim.channel());
      ps.setLong(2, claim.drops());
      ps.setString(3, claim.signature());
      ps.setString(4, requestId);
      ps.executeUpdate();
    });
  }

  /** Decides a pending request: delivered with {@code receipt}, or credited with the reason. */
  void decide(String requestId, String status, Optional<String> receipt, HubStatement statement,
      Optional<String> reasonCode, Optional<String> reasonMessage) {
    String answer;
    try {
      answer = JSON.writeValueAsString(statement.toMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    db.write(c -> {
      PreparedStatement ps = db.statement("UPDATE hub_requests SET status=?, receipt=?, answer=?, reason_code=?,"
          + " reason_message=?, decided_at=? WHERE request_id=? AND status='pending'");
      ps.setString(1, status);
      ps.setString(2, receipt.orElse(null));
      ps.setString(3, answer);
      ps.setString(4, reasonCode.orElse(null));
      ps.setString(5, reasonMessage.orElse(null));
      ps.setLong(6, statement.at().toEpochMilli());
      ps.setString(7, requestId);
      if (ps.executeUpdate() != 1) {
        throw new SQLException("hub request " + requestId + " is not pending");
      }
    });
  }

  Optional<Row> find(String requestId) {
    List<Row> rows = select("SELECT * FROM hub_requests WHERE request_id=?", requestId);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  List<Row> pending() {
    return select("SELECT * FROM hub_requests WHERE status='pending' ORDER BY created_at");
  }

  /**
   * Per user channel, the costs of delivered forwarded purchases. Own-listing rows are left out: their sales are in
   * {@code sales} and counted by {@link #directSales}, so the channel's value is counted once.
   */
  Map<String, Long> consumed() {
    return sums("SELECT channel, sum(price + fee) FROM hub_requests WHERE status='delivered' AND platform<>?"
        + " GROUP BY channel", self);
  }

  /** Per channel of the hub's to a platform, the highest claim a platform's receipt acknowledged. */
  Map<String, Long> acknowledged() {
    return sums("SELECT platform_channel, max(platform_claim) FROM hub_requests WHERE status='delivered'"
        + " AND platform_channel IS NOT NULL GROUP BY platform_channel");
  }

  private Map<String, Long> sums(String sql, String... args) {
    return db.read(c -> {
      Map<String, Long> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setString(i + 1, args[i]);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      return out;
    });
  }

  private List<Row> select(String sql, String... args) {
    return db.read(c -> {
      List<Row> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setString(i + 1, args[i]);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(row(rs));
          }
        }
      }
      return out;
    });
  }

  private static Row row(ResultSet rs) throws SQLException {
    String signature = rs.getString("platform_signature");
    Optional<Claim> claim = signature == null ? Optional.empty()
        : Optional.of(new Claim(rs.getString("platform_channel"), rs.getLong("platform_claim"), signature));
    Optional<HubStatement> statement = Optional.empty();
    String answer = rs.getString("answer");
    if (answer != null) {
      try {
        statement = Optional.of(HubStatement.fromMap(JSON.readValue(answer, Map.class)));
      } catch (JsonProcessingException e) {
        throw new SQLException("hub request " + rs.getString("request_id") + ": unreadable answer", e);
      }
    }
    return new Row(rs.getString("request_id"), rs.getString("channel"), rs.getString("cid"),
        rs.getString("platform"), rs.getLong("price"), rs.getLong("fee"), rs.getString("token"),
        rs.getString("receipt_key"), rs.getString("status"), claim, Optional.ofNullable(rs.getString("receipt")),
        statement, Optional.ofNullable(rs.getString("reason_code")),
        Optional.ofNullable(rs.getString("reason_message")));
  }
}
