package io.fedsearch.indexer.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Lines in, work out, in input order: each batch is prepared in parallel (parse, validate, encode, sign — pure CPU)
 * while the previous batch is applied on the calling thread (index writes, which must stay ordered). On a 2-core
 * machine this keeps both cores busy instead of alternating between a parallel phase and a serial one.
 */
public final class BatchPipeline<T> implements AutoCloseable {
  /** Receives each prepared batch in order with the input number (1-based) of its first line. */
  public interface Sink<T> {
    void accept(List<T> prepared, long firstLine);
  }

  private final int batchSize;
  private final Function<String, T> prepare;
  private final Sink<T> sink;
  private final ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
  private List<String> batch;
  private long nextLine = 1;
  private long batchFirstLine = 1;
  private CompletableFuture<List<T>> inFlight;
  private long inFlightFirstLine;

  public BatchPipeline(int batchSize, Function<String, T> prepare, Sink<T> sink) {
    this.batchSize = batchSize;
    this.prepare = prepare;
    this.sink = sink;
    this.batch = new ArrayList<>(batchSize);
  }

  /** Adds one line; a full batch goes to the workers and the batch before it to the sink. */
  public void add(String line) {
    batch.add(line);
    nextLine++;
    if (batch.size() == batchSize) {
      submit();
    }
  }

  private void submit() {
    List<String> lines = batch;
    long first = batchFirstLine;
    batch = new ArrayList<>(batchSize);
    batchFirstLine = nextLine;
    CompletableFuture<List<T>> next = CompletableFuture.supplyAsync(() -> prepareAll(lines), pool);
    CompletableFuture<List<T>> previous = inFlight;
    long previousFirst = inFlightFirstLine;
    inFlight = next;
    inFlightFirstLine = first;
    if (previous != null) {
      sink.accept(previous.join(), previousFirst);
    }
  }

  private List<T> prepareAll(List<String> lines) {
    // Runs inside this pool, so the parallel stream uses the pool's workers, not the common pool.
    return IntStream.range(0, lines.size()).parallel().mapToObj(i -> prepare.apply(lines.get(i))).toList();
  }

  /** Prepares and applies everything still buffered. */
  public void finish() {
    if (!batch.isEmpty()) {
      submit();
    }
    if (inFlight != null) {
      sink.accept(inFlight.join(), inFlightFirstLine);
      inFlight = null;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
