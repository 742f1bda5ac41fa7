package io.fedsearch.federation.payments.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's payments database ({@code payments.db} in the node directory): channels, accepted claims, outbox,
 * sales, fees, payouts, netting. SQLite in WAL mode with {@code synchronous=FULL}: in WAL mode FULL syncs the
 * log on every commit, so a commit that returned survives a power cut, not only a process kill (NORMAL would
 * lose the last commits on power loss, which is not acceptable for acknowledged money). The fsync cost is
 * amortised by group commit: writers hand {@link Write}s to {@link #submit}; one committer thread applies every
 * write waiting at that moment — and, when writes arrive concurrently, those that keep arriving for a few
 * milliseconds more (see {@link #gather}) — in a single transaction (each under its own savepoint so one failing
 * write does not undo the others), commits once, and only then completes their futures. Callers acknowledge after
 * the future completes. SQLite's automatic checkpoint (every 8192 WAL pages) keeps the log bounded.
 */
public final class PaymentsDb implements AutoCloseable {
  public static final String FILE = "payments.db";
  /** Upper bound of writes per group commit: bounds transaction size and latency. */
  public static final int MAX_BATCH = 4096;
  /** Name of each database's committer thread (benchmarks measure its CPU). */
  public static final String COMMITTER_THREAD = "payments-group-commit";

  /** One change to the database, applied inside a transaction by the committer thread. */
  @FunctionalInterface
  public interface Write {
    void apply(Connection c) throws SQLException;
  }

  /** A read, run under the database lock (never concurrently with a commit on the same connection). */
  @FunctionalInterface
  public interface Read<T> {
    T apply(Connection c) throws SQLException;
  }

  private record Pending(Write write, CompletableFuture<Void> done) {}

  private final Path file;
  private final Connection conn;
  private final ReentrantLock lock = new ReentrantLock();
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(64 * 1024);
  private final Thread committer;
  private volatile boolean closed;
  private long commits;
  private long writes;
  /** The committer's last cycle (committer thread only): writes, commit time, time since the previous commit. */
  private int lastBatch;
  private long lastCommitNanos;
  private long lastCycleNanos;
  private long lastCommitEnd;
  /** Longest a commit waits for more writes to join it. */
  static final long MAX_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** Prepared statements kept for the connection's life (guarded by {@link #lock}); see {@link #statement}. */
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  private PaymentsDb(Path file, Connection conn) {
    this.file = file;
    this.conn = conn;
    this.committer = new Thread(this::commitLoop, COMMITTER_THREAD);
    committer.setDaemon(true);
    committer.start();
  }

  /** Opens (creating when absent) {@code payments.db} in {@code nodeDir}. */
  public static PaymentsDb open(Path nodeDir) {
    Path file = nodeDir.resolve(FILE);
    try {
      Files.createDirectories(nodeDir);
      java.util.Properties props = new java.util.Properties();
      // sqlite-jdbc otherwise runs "SELECT last_insert_rowid()" through a new statement after every INSERT, in
      // case getGeneratedKeys() is called; the one writer that needs the id asks for it (see lastInsertId).
      props.setProperty("jdbc.get_generated_keys", "false");
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, props);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=10000");
        // Claims land on random pages of the claims table (keyed by channel): a page cache that holds the hot
        // part of it saves a read syscall per claim (16 MiB per node; SQLite's default is 2 MiB).
        s.execute("PRAGMA cache_size=-16384");
        // Checkpoint every 8192 WAL pages (32 MiB) rather than SQLite's 1000: claims hit the same pages again and
        // again, and a longer log copies each page back to the database once per checkpoint instead of many times.
        // Durability is unchanged (every commit's log is synced); recovery after a crash replays a longer log.
        s.execute("PRAGMA wal_autocheckpoint=8192");
      }
      Schema.MIGRATIONS.migrate(c);
      c.setAutoCommit(false);
      c.commit();
      return new PaymentsDb(file, c);
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException("cannot open payments database " + file + ": " + e.getMessage(), e);
    }
  }

  /** Queues {@code w} for the next group commit; the future completes once it is durable. */
  public CompletableFuture<Void> submit(Write w) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("payments database is closed"));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      if (!queue.offer(new Pending(w, done), 30, TimeUnit.SECONDS)) {
        done.completeExceptionally(new IllegalStateException("payments journal is overloaded"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.completeExceptionally(e);
    }
    return done;
  }

  /** Applies {@code w} durably and returns when it is committed; rethrows its failure. */
  public void write(Write w) {
    if (Thread.currentThread() == committer) {
      // waiting here would wait for ourselves: a completion callback must not write synchronously
      throw new IllegalStateException("synchronous payments write from the group-commit thread");
    }
    try {
      submit(w).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("payments write failed: " + cause.getMessage(), cause);
    }
  }

  /** Returns once every write queued before this call is durable (commits are applied in queue order). */
  public void barrier() {
    write(c -> { });
  }

  public <T> T read(Read<T> r) {
    lock.lock();
    try {
      return r.apply(conn);
    } catch (SQLException e) {
      throw new IllegalStateException("payments read failed: " + e.getMessage(), e);
    } finally {
      try {
        conn.rollback(); // ends the read transaction so the WAL can be checkpointed
      } catch (SQLException ignored) {
        // the connection is already unusable; the next write reports it
      }
      lock.unlock();
    }
  }

  /**
   * A prepared statement for {@code sql}, compiled once and kept for the life of the connection: the hot writes
   * (one claim row per accepted claim) would otherwise compile their SQL again for every claim, which costs more
   * than executing it. Only for use inside a {@link Write} or {@link Read} (the database lock is held); callers set
   * every parameter, execute, and must not close it. Not for statements returning generated keys.
   */
  public PreparedStatement statement(String sql) throws SQLException {
    if (!lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("payments statement used outside a write or read");
    }
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = conn.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** The rowid of the last row inserted on this connection; inside a {@link Write} only. */
  public long lastInsertId() throws SQLException {
    try (java.sql.ResultSet rs = statement("SELECT last_insert_rowid()").executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void commitLoop() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        if (lastBatch > 1) {
          gather(batch);
        }
        long t0 = System.nanoTime();
        commitBatch(batch);
        long t1 = System.nanoTime();
        lastCommitNanos = t1 - t0;
        lastCycleNanos = t1 - lastCommitEnd;
        lastCommitEnd = t1;
        lastBatch = batch.size();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * Writes are arriving concurrently (the last commit carried more than one): let more join this commit while they
   * keep coming, for at most {@link #MAX_LINGER_NANOS}. "Keep coming" means the next one arrives within four mean
   * gaps between writes of the last cycle (or within the last commit's duration, if that is longer), so a burst's
   * tail waits only briefly. A commit costs about the same for one write as for fifty: the log sync alone is ~3.5 ms
   * and ~170 µs of CPU on this kind of virtual disk, more than the writes it carries, so gathering divides it. A lone
   * write (the last commit carried one) commits at once.
   */
  private void gather(List<Pending> batch) throws InterruptedException {
    long start = System.nanoTime();
    long gap = Math.min(MAX_LINGER_NANOS, Math.max(lastCommitNanos, 4 * lastCycleNanos / Math.max(1, lastBatch)));
    while (batch.size() < MAX_BATCH) {
      long left = Math.min(gap, start + MAX_LINGER_NANOS - System.nanoTime());
      if (left <= 0) {
        return;
      }
      Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
      queue.drainTo(batch, MAX_BATCH - batch.size());
    }
  }

  private void commitBatch(List<Pending> batch) {
    Throwable[] failures = new Throwable[batch.size()];
    lock.lock();
    try {
      try {
        PreparedStatement savepoint = statement("SAVEPOINT w");
        PreparedStatement release = statement("RELEASE w");
        for (int i = 0; i < batch.size(); i++) {
          savepoint.execute();
          try {
            batch.get(i).write().apply(conn);
            release.execute();
          } catch (SQLException | RuntimeException e) {
            failures[i] = e;
            statement("ROLLBACK TO w").execute();
            release.execute();
          }
        }
        conn.commit();
        commits++;
        writes += batch.size();
      } catch (SQLException e) {
        try {
          conn.rollback();
        } catch (SQLException ignored) {
          // reported through the futures below
        }
        for (Pending p : batch) {
          p.done().completeExceptionally(new IllegalStateException("payments commit failed: " + e.getMessage(), e));
        }
        return;
      }
    } finally {
      lock.unlock();
    }
    for (int i = 0; i < batch.size(); i++) {
      if (failures[i] == null) {
        batch.get(i).done().complete(null);
      } else {
        batch.get(i).done().completeExceptionally(failures[i]);
      }
    }
  }

  /** Commits so far and writes they carried: the group-commit factor is writes / commits. */
  public long[] commitStats() {
    lock.lock();
    try {
      return new long[] {commits, writes};
    } finally {
      lock.unlock();
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    closed = true;
    try {
      committer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      for (PreparedStatement ps : statements.values()) {
        ps.close();
      }
      statements.clear();
      try (Statement s = conn.createStatement()) {
        conn.commit();
        conn.setAutoCommit(true);
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      conn.close();
    } catch (SQLException e) {
      throw new IllegalStateException("closing payments database failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
