package io.cvatfunction.runtime.yolo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.runtime.DeviceFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the forward passes of concurrent requests together. While the model works on one pass, the inputs of
 * other requests queue; the next pass takes all of them, up to the batch limit, as one batch. On a GPU every
 * request's kernels go to one CUDA stream, one after another, and a batch-1 YOLO pass keeps the device mostly
 * idle: a batch of eight costs little more than one. One thread runs the passes and callers wait for theirs, so
 * that a caller whose pass is done need not queue again to learn it (a lock handed from caller to caller measured
 * a quarter of this thread's throughput at 16 clients on an H200).
 *
 * <p>A caller waits for its pass at most the pass timeout: a pass that has not returned by then means a hung device,
 * and the caller gets a {@link DeviceFault}.
 *
 * <p>Each request gets its own slices of the batch's outputs, in its own manager. On a GPU a batch may run other
 * kernels than a pass of one, which round differently in the last digits; the parity tests run batched too.
 *
 * <p>The limit starts at 1 and rises to {@code maxBatch} with {@link #open}, once the caller has checked the
 * model ({@link #refusal}) and run every batch size (a new input shape makes the TorchScript executor optimise
 * the graph again); for a model that refuses batches it stays 1, and this thread still runs every pass.
 */
final class ForwardBatcher implements AutoCloseable {

  /** How far a frame's outputs in two batches of the same size may differ (relative), were the device to round so. */
  private static final float TOLERANCE = 1e-3f;

  private final Function<NDArray, NDList> forward;
  private final Supplier<NDManager> scopes;
  private final int maxBatch;
  private final Duration passTimeout;
  private final AtomicLongArray passes; // passes run, by batch size
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread runner;
  private volatile boolean closed;
  private volatile int limit = 1;

  private record Pending(NDArray input, CompletableFuture<NDList> outputs) {}

  /**
   * @param forward the model's forward pass on a batch {@code (n, 3, h, w)}; every output's first dimension is n
   * @param scopes a new manager on the model's device, for a batch's own tensors
   * @param maxBatch the most inputs one pass takes once {@link #open}
   * @param passTimeout how long a caller waits for its pass before the device counts as hung
   * @param name the name of the thread that runs the passes
   */
  ForwardBatcher(Function<NDArray, NDList> forward, Supplier<NDManager> scopes, int maxBatch, Duration passTimeout,
      String name) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("a batch of at least 1 input, got " + maxBatch);
    }
    this.forward = forward;
    this.scopes = scopes;
    this.maxBatch = maxBatch;
    this.passTimeout = passTimeout;
    this.passes = new AtomicLongArray(maxBatch + 1);
    this.runner = new Thread(this::run, name);
    runner.setDaemon(true);
    runner.start();
  }

  /**
   * Why a model cannot take batches of {@code size}, or empty when it can: the outputs of a batch must have the batch
   * dimension first, and each frame's outputs must not depend on the other frames. An export traced with a fixed batch
   * size, for one, fails one or the other. The batch holds {@code first} in every place but the last, which holds
   * {@code second}; each frame is compared with itself in a batch of the same size, which runs the same kernels: a
   * batch of another size may run others, whose rounding differs in the last digits, and a top-k head may then order
   * near-equal scores differently.
   */
  static Optional<String> refusal(Function<NDArray, NDList> forward, NDArray first, NDArray second, int size) {
    NDList mixed;
    NDList firsts;
    NDList seconds;
    try {
      NDList frames = new NDList(size);
      for (int i = 0; i < size - 1; i++) {
        frames.add(first);
      }
      frames.add(second);
      mixed = forward.apply(NDArrays.concat(frames));
      firsts = forward.apply(first.repeat(0, size));
      seconds = forward.apply(second.repeat(0, size));
    } catch (RuntimeException e) {
      return Optional.of("a forward pass on a batch of " + size + " failed: " + e.getMessage());
    }
    for (int i = 0; i < mixed.size(); i++) {
      Shape shape = mixed.get(i).getShape();
      if (shape.isScalar() || shape.get(0) != size) {
        return Optional.of("output " + i + " of a batch of " + size + " has the shape " + shape);
      }
      int last = size - 1;
      if (!close(mixed.get(i).get(0), firsts.get(i).get(0)) || !close(mixed.get(i).get(last), seconds.get(i).get(last))) {
        return Optional.of("output " + i + " of a frame in a batch of " + size + " depends on the other frames");
      }
    }
    return Optional.empty();
  }

  private static boolean close(NDArray actual, NDArray expected) {
    return actual.sub(expected).abs().lte(expected.abs().add(1f).mul(TOLERANCE)).all().getBoolean();
  }

  /** The most inputs one pass takes once open. */
  int maxBatch() {
    return maxBatch;
  }

  /** The most inputs one pass takes now. */
  int limit() {
    return limit;
  }

  /** How many passes ran with each batch size so far: index {@code n} counts the passes of {@code n} requests. */
  long[] passesBySize() {
    long[] counts = new long[passes.length()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = passes.get(i);
    }
    return counts;
  }

  /** Lets passes take up to {@code maxBatch} inputs from now on. */
  void open() {
    limit = maxBatch;
  }

  /** Requests waiting for the next pass. */
  int waiting() {
    return queue.size();
  }

  /**
   * The forward pass's outputs for one input, in the input's manager.
   *
   * @param input {@code (1, 3, h, w)} on the model's device
   */
  NDList forward(NDArray input) {
    if (closed) {
      throw new IllegalStateException("the model was closed");
    }
    Pending pending = new Pending(input, new CompletableFuture<>());
    queue.add(pending);
    if (closed && queue.remove(pending)) { // closed meanwhile, and the runner will not take it
      throw new IllegalStateException("the model was closed");
    }
    try {
      return awaitPass(pending);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * Waits for a pending pass, uninterruptibly (the pass may be reading the input, which the caller frees when it
   * returns) and at most the pass timeout. Past it the input is left to the pass, never freed: the device is hung and
   * the process is about to end.
   */
  private NDList awaitPass(Pending pending) throws ExecutionException {
    long deadline = System.nanoTime() + passTimeout.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return pending.outputs().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (TimeoutException e) {
          pending.input().detach();
          throw new DeviceFault(String.format(Locale.ROOT, "a forward pass has not returned in %.1f s: the device is"
              + " hung", passTimeout.toMillis() / 1000.0), null);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (!closed) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break; // closing
      }
      queue.drainTo(batch, limit - 1);
      passes.incrementAndGet(batch.size());
      try {
        if (batch.size() == 1) {
          batch.get(0).outputs().complete(forward.apply(batch.get(0).input()));
        } else {
          runTogether(batch);
        }
      } catch (RuntimeException | Error e) {
        batch.forEach(p -> p.outputs().completeExceptionally(e));
      }
      batch.clear();
    }
    for (Pending p = queue.poll(); p != null; p = queue.poll()) {
      p.outputs().completeExceptionally(new IllegalStateException("the model was closed"));
    }
  }

  private void runTogether(List<Pending> batch) {
    NDList inputs = new NDList(batch.size());
    batch.forEach(p -> inputs.add(p.input()));
    try (NDManager scope = scopes.get()) {
      NDArray stacked = NDArrays.concat(inputs);
      stacked.attach(scope);
      NDList outputs = forward.apply(stacked);
      outputs.attach(scope);
      for (int i = 0; i < batch.size(); i++) {
        NDManager owner = batch.get(i).input().getManager();
        NDList own = new NDList(outputs.size());
        for (NDArray output : outputs) {
          NDArray slice = output.get(new NDIndex("{}:{}", i, i + 1)); // a view: the batch's memory lives on with it
          slice.attach(owner);
          own.add(slice);
        }
        batch.get(i).outputs().complete(own);
      }
    }
  }

  /** Stops the runner; false when a pass still runs after {@code wait}, so the model must not be freed. */
  boolean close(Duration wait) {
    closed = true;
    runner.interrupt();
    try {
      runner.join(Math.max(1, wait.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !runner.isAlive();
  }

  @Override
  public void close() {
    close(passTimeout);
  }
}
