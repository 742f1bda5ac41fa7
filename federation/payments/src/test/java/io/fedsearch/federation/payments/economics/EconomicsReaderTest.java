package io.fedsearch.federation.payments.economics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.channel.ChannelTerms;
import io.fedsearch.federation.payments.ledger.Ledger;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What EconomicsTest (two nodes over HTTP, no ledger) cannot reach: ledger fees the ledger applied — rows as the
 * submitter leaves them (validated; failed with a tec code, which takes the fee; failed with a tef code, which does
 * not) — and the account reserve asked from a ledger.
 */
class EconomicsReaderTest {
  private static final long DAY = 86_400_000L;
  /** Noon UTC on a fixed day: the rows below are put on this day and the two before it. */
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir Path dir;

  /** A ledger that answers only what the reader asks: this account's owned objects and the reserves. */
  private static final class ReserveLedger implements Ledger {
    @Override
    public Optional<ChannelTerms> channel(String channelId) {
      return Optional.empty();
    }

    @Override
    public List<ChannelTerms> channelsFrom(String account) {
      return List.of();
    }

    @Override
    public long accountSequence(String account) {
      return 1;
    }

    @Override
    public AccountRoot account(String account) {
      return new AccountRoot(50_000_000, 1, 3);
    }

    @Override
    public Reserves reserves() {
      return new Reserves(1_000_000, 200_000);
    }

    @Override
    public long validatedLedgerIndex() {
      return 100;
    }

    @Override
    public long feeDrops() {
      return 10;
    }

    @Override
    public String submit(String blobHex) {
      throw new UnsupportedOperationException("not submitted in this test");
    }

    @Override
    public Optional<String> validatedResult(String hash) {
      return Optional.empty();
    }

    @Override
    public TxStatus transaction(String hash, long minLedger, long maxLedger) {
      return TxStatus.UNKNOWN;
    }
  }

  /** An outbox row as the submitter leaves it ({@code status}, {@code result}, {@code updated_at}). */
  private static void outboxRow(Payments p, long id, String status, String result, long fee, long updatedAt) {
    p.db().write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox(id, kind, tx_json, blob, hash, status, fee,"
          + " sequence, result, created_at, updated_at) VALUES(?, 'claim', '{}', '00', ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setLong(1, id);
        ps.setString(2, "H" + id);
        ps.setString(3, status);
        ps.setLong(4, fee);
        ps.setLong(5, id);
        ps.setString(6, result);
        ps.setLong(7, updatedAt - 1000);
        ps.setLong(8, updatedAt);
        ps.executeUpdate();
      }
    });
  }

  @Test
  void ledgerFeesCountWhenTheLedgerTookThemAndTheReserveIsTheServers() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    try (Payments p = Payments.open(dir, NodeKey.loadOrCreate(dir), PaymentsConfig.defaults(),
        Optional.of(new ReserveLedger()), PayoutTransport.unavailable(), clock)) {
      long now = NOW.toEpochMilli();
      outboxRow(p, 1, "validated", "tesSUCCESS", 12, now - 2 * DAY);
      outboxRow(p, 2, "failed", "tecUNFUNDED_PAYMENT", 15, now - DAY);
      outboxRow(p, 3, "failed", "tefPAST_SEQ", 500, now - DAY);
      outboxRow(p, 4, "pending", null, 20, now);
      outboxRow(p, 5, "submitted", "terQUEUED", 30, now);
      Economics e = new EconomicsReader(p, HubFees.NONE_JOURNALED, clock).read(3);

      assertThat(e.ledgerFees().spent()).isEqualTo(12 + 15);
      assertThat(e.ledgerFees().spentTransactions()).isEqualTo(2);
      assertThat(e.ledgerFees().waiting()).isEqualTo(20 + 30);
      assertThat(e.ledgerFees().waitingTransactions()).isEqualTo(2);
      assertThat(e.daily()).extracting(Economics.Day::ledgerFees).containsExactly(12L, 15L, 0L);
      assertThat(e.daily()).extracting(Economics.Day::date).containsExactly("2026-03-08", "2026-03-09", "2026-03-10");

      // base 1 XRP + 3 owned objects × 0.2 XRP, as the server says
      assertThat(e.capital().reserve()).isEqualTo(1_000_000 + 3 * 200_000);
      assertThat(e.capital().reserveNote()).contains("3 owned objects");
      assertThat(e.capital().efficiency()).as("funds no channel").isNull();
      assertThat(e.toJsonNode().at("/capital/efficiency").isNull()).isTrue();
    }
  }
}
