package io.fedsearch.federation.payments.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
 * write waiting at that moment in a single transaction (each under its own savepoint so one failing write does
 * not undo the others), commits once, and only then completes their futures. Callers acknowledge after the
 * future completes. SQLite's automatic checkpoint (every 1000 WAL pages) keeps the log bounded.
 */
public final class PaymentsDb implements AutoCloseable {
  public static final String FILE = "payments.db";
  /** Upper bound of writes per group commit: bounds transaction size and latency. */
  public static final int MAX_BATCH = 4096;

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

  private PaymentsDb(Path file, Connection conn) {
    this.file = file;
    this.conn = conn;
    this.committer = new Thread(this::commitLoop, "payments-group-commit");
    committer.setDaemon(true);
    committer.start();
  }

  /** Opens (creating when absent) {@code payments.db} in {@code nodeDir}. */
  public static PaymentsDb open(Path nodeDir) {
    Path file = nodeDir.resolve(FILE);
    try {
      Files.createDirectories(nodeDir);
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=10000");
        for (String ddl : Schema.DDL) {
          s.execute(ddl);
        }
      }
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
        commitBatch(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void commitBatch(List<Pending> batch) {
    Throwable[] failures = new Throwable[batch.size()];
    lock.lock();
    try {
      try (Statement s = conn.createStatement()) {
        for (int i = 0; i < batch.size(); i++) {
          s.execute("SAVEPOINT w");
          try {
            batch.get(i).write().apply(conn);
            s.execute("RELEASE w");
          } catch (SQLException | RuntimeException e) {
            failures[i] = e;
            s.execute("ROLLBACK TO w");
            s.execute("RELEASE w");
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
