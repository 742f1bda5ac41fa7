package io.fedsearch.privacy.records;

import io.fedsearch.privacy.store.PrivacyDb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Payment events at rest ({@code payment_events} in {@code privacy.db}). Each row holds only its id, the epoch it
 * belongs to (needed to select an epoch's events; it reveals the day of a payment, nothing else) and one AEAD
 * ciphertext of (payer pseudonym, drops, time, CID, creator). The associated data is {@code "fedsearch/privacy/event/v1" ||
 * id || epoch length || epoch}, so a ciphertext copied to another row, or a row moved to another epoch, fails to
 * decrypt. {@link #record} returns only after the row is committed to disk.
 */
public final class PaymentRecords {
  private static final byte[] AD_DOMAIN = "fedsearch/privacy/event/v1".getBytes(StandardCharsets.UTF_8);
  /** Format 1: no creator; format 2 (written now): the creator follows the CID. */
  private static final byte FORMAT_1 = 1;
  private static final byte FORMAT = 2;

  private final PrivacyDb db;
  private final RecordKeys keys;

  public PaymentRecords(PrivacyDb db, RecordKeys keys) {
    this.db = db;
    this.keys = keys;
  }

  /** Number of stored events (any epoch). */
  public static long count(PrivacyDb db) {
    db.lock().lock();
    try {
      try (Statement st = db.connection().createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM payment_events")) {
        rs.next();
        long n = rs.getLong(1);
        db.connection().commit();
        return n;
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read " + db.file() + ": " + e.getMessage(), e);
      }
    } finally {
      db.lock().unlock();
    }
  }

  /** Encrypts and durably stores the event in epoch {@code epoch} of length {@code epochSeconds}; returns its id. */
  public long record(PaymentEvent event, long epochSeconds, long epoch) {
    return recordAll(List.of(event), epochSeconds, List.of(epoch)).get(0);
  }

  /**
   * Stores several events in one transaction (one fsync): all or none. {@code epochs.get(i)} is the epoch of
   * {@code events.get(i)}. Returns the row ids.
   */
  public List<Long> recordAll(List<PaymentEvent> events, long epochSeconds, List<Long> epochs) {
    if (events.size() != epochs.size()) {
      throw new IllegalArgumentException("one epoch per event");
    }
    List<byte[]> plaintexts = new ArrayList<>(events.size());
    for (PaymentEvent e : events) {
      plaintexts.add(encode(keys.pseudonym(e.payer()), e));
    }
    db.lock().lock();
    try {
      Connection c = db.connection();
      try {
        long next;
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM payment_events")) {
          rs.next();
          next = rs.getLong(1);
        }
        List<Long> ids = new ArrayList<>(events.size());
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO payment_events(id, epoch_seconds, epoch, ciphertext) VALUES (?,?,?,?)")) {
          for (int i = 0; i < events.size(); i++) {
            long id = next + i;
            long epoch = epochs.get(i);
            ps.setLong(1, id);
            ps.setLong(2, epochSeconds);
            ps.setLong(3, epoch);
            ps.setBytes(4, keys.encrypt(plaintexts.get(i), associatedData(id, epochSeconds, epoch)));
            ps.executeUpdate();
            ids.add(id);
          }
        }
        c.commit();
        return ids;
      } catch (SQLException | GeneralSecurityException e) {
        rollback(c);
        throw new IllegalStateException("cannot store payment events (none were stored): " + e.getMessage(), e);
      }
    } finally {
      db.lock().unlock();
    }
  }

  /** The decrypted events of one epoch, by id. Throws {@link RecordIntegrityException} on any row that fails. */
  public List<StoredEvent> epoch(long epochSeconds, long epoch) {
    return range(epochSeconds, epoch, epoch);
  }

  /**
   * The decrypted events of epochs {@code from..to} (inclusive), by id. Throws {@link RecordIntegrityException} on
   * any row that fails.
   */
  public List<StoredEvent> range(long epochSeconds, long from, long to) {
    List<StoredEvent> out = new ArrayList<>();
    db.lock().lock();
    try {
      try (PreparedStatement ps = db.connection().prepareStatement("SELECT id, epoch, ciphertext FROM payment_events"
          + " WHERE epoch_seconds = ? AND epoch BETWEEN ? AND ? ORDER BY id")) {
        ps.setLong(1, epochSeconds);
        ps.setLong(2, from);
        ps.setLong(3, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            long epoch = rs.getLong(2);
            byte[] pt;
            try {
              pt = keys.decrypt(rs.getBytes(3), associatedData(id, epochSeconds, epoch));
            } catch (GeneralSecurityException e) {
              throw new RecordIntegrityException("payment event " + id + " in " + db.file() + " does not decrypt:"
                  + " its ciphertext was altered, moved from another row, or made with a key missing from "
                  + RecordKeys.AEAD_FILE, e);
            }
            out.add(decode(id, pt));
          }
        }
        db.connection().commit();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read payment events from " + db.file() + ": " + e.getMessage(), e);
      }
    } finally {
      db.lock().unlock();
    }
    return out;
  }

  /** Epochs (of the given length) that hold at least one event, ascending. */
  public List<Long> epochs(long epochSeconds) {
    return db.longs("SELECT DISTINCT epoch FROM payment_events WHERE epoch_seconds = ? ORDER BY epoch", epochSeconds);
  }


  private static byte[] associatedData(long id, long epochSeconds, long epoch) {
    return ByteBuffer.allocate(AD_DOMAIN.length + 24).put(AD_DOMAIN).putLong(id).putLong(epochSeconds).putLong(epoch)
        .array();
  }

  private static byte[] encode(String pseudonym, PaymentEvent e) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(FORMAT);
      out.write(HexFormat.of().parseHex(pseudonym));
      out.writeLong(e.drops());
      out.writeLong(e.time().getEpochSecond());
      out.writeInt(e.time().getNano());
      out.writeUTF(e.cid());
      out.writeUTF(e.creator());
      return bytes.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static StoredEvent decode(long id, byte[] pt) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(pt))) {
      byte format = in.readByte();
      if (format != FORMAT && format != FORMAT_1) {
        throw new IllegalStateException("payment event " + id + " has an unknown record format");
      }
      byte[] pseudo = in.readNBytes(32);
      long drops = in.readLong();
      Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
      String cid = in.readUTF();
      String creator = format == FORMAT ? in.readUTF() : "";
      return new StoredEvent(id, cid, HexFormat.of().formatHex(pseudo), drops, time, creator);
    } catch (IOException e) {
      throw new IllegalStateException("payment event " + id + " is truncated", e);
    }
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the original failure is what matters
    }
  }
}
