package io.fedsearch.indexer.importer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Lines in, work out, in input order: each batch is prepared in parallel (parse, validate, encode, sign — pure CPU)
 * while earlier batches are applied on the calling thread (index writes, which must stay ordered).
 *
 * <p>The calling thread is one of the preparers: when the batch it must apply next is not ready, it prepares that
 * batch's remaining chunks itself instead of waiting. So the pool has one thread fewer than there are cores, and
 * the machine runs exactly as many busy threads as it has cores — the writer is never time-sliced against the
 * workers feeding it, and no core idles while the writer waits. (A pool of one thread per core plus the writer
 * oversubscribed the cores and slowed the one serial stage, the writer, by a third.)
 */
public final class BatchPipeline<T> implements AutoCloseable {
  /** Receives each prepared batch in order with the input number (1-based) of its first line. */
  public interface Sink<T> {
    void accept(List<T> prepared, long firstLine);
  }

  /** Lines a thread claims at once: small enough to balance threads, large enough to make claiming cheap. */
  private static final int CHUNK = 32;
  /** Batches handed to the workers ahead of the writer; bounds memory on large inputs. */
  private static final int AHEAD = 2;

  private final int batchSize;
  private final Function<String, T> prepare;
  private final Sink<T> sink;
  private final int workers;
  private final ExecutorService pool;
  private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
  private List<String> lines;
  private long nextLine = 1;
  private long batchFirstLine = 1;

  /** A pipeline using every core: the caller plus one worker per further core. */
  public BatchPipeline(int batchSize, Function<String, T> prepare, Sink<T> sink) {
    this(batchSize, defaultThreads(), prepare, sink);
  }

  /** Threads a pipeline uses unless told otherwise: one per core, the caller included. */
  public static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** @param threads threads preparing batches, the caller included (so {@code threads - 1} workers) */
  public BatchPipeline(int batchSize, int threads, Function<String, T> prepare, Sink<T> sink) {
    if (batchSize < 1 || threads < 1) {
      throw new IllegalArgumentException("batch size and threads must be ≥ 1");
    }
    this.batchSize = batchSize;
    this.prepare = prepare;
    this.sink = sink;
    this.workers = threads - 1;
    this.pool = workers == 0 ? null : Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "batch-prepare");
      t.setDaemon(true);
      return t;
    });
    this.lines = new ArrayList<>(batchSize);
  }

  /** Threads that prepare batches, the caller included. */
  public int threads() {
    return workers + 1;
  }

  /** Adds one line; a full batch goes to the workers, and the oldest batches to the sink once enough are ahead. */
  public void add(String line) {
    lines.add(line);
    nextLine++;
    if (lines.size() == batchSize) {
      submit();
      while (inFlight.size() > AHEAD) {
        applyOldest();
      }
    }
  }

  private void submit() {
    Batch b = new Batch(lines.toArray(String[]::new), batchFirstLine);
    lines = new ArrayList<>(batchSize);
    batchFirstLine = nextLine;
    inFlight.add(b);
    for (int i = 0; i < workers; i++) {
      pool.execute(b::work);
    }
  }

  private void applyOldest() {
    Batch b = inFlight.poll();
    b.work(); // help with what no worker has claimed yet
    sink.accept(b.await(), b.firstLine);
  }

  /** Prepares and applies everything still buffered. */
  public void finish() {
    if (!lines.isEmpty()) {
      submit();
    }
    while (!inFlight.isEmpty()) {
      applyOldest();
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** One batch: its lines, their results, and the chunk counters threads claim work with. */
  private final class Batch {
    final String[] input;
    final Object[] output;
    final long firstLine;
    final int chunks;
    final AtomicInteger nextChunk = new AtomicInteger();
    int doneChunks; // guarded by this
    RuntimeException failure; // guarded by this

    Batch(String[] input, long firstLine) {
      this.input = input;
      this.output = new Object[input.length];
      this.firstLine = firstLine;
      this.chunks = (input.length + CHUNK - 1) / CHUNK;
    }

    /** Prepares unclaimed chunks until none is left; safe to call from any number of threads. */
    void work() {
      for (int c; (c = nextChunk.getAndIncrement()) < chunks; ) {
        RuntimeException error = null;
        try {
          for (int i = c * CHUNK, end = Math.min(input.length, i + CHUNK); i < end; i++) {
            output[i] = prepare.apply(input[i]);
          }
        } catch (RuntimeException e) {
          error = e;
        }
        synchronized (this) {
          if (error != null && failure == null) {
            failure = error;
          }
          if (++doneChunks == chunks) {
            notifyAll();
          }
        }
      }
    }

    @SuppressWarnings("unchecked")
    synchronized List<T> await() {
      boolean interrupted = false;
      while (doneChunks < chunks) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true; // the workers finish their chunks regardless; wait for them, then restore the flag
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw failure;
      }
      return (List<T>) Arrays.asList(output);
    }
  }
}
