package io.cvatfunction.runtime.server;

import io.cvatfunction.runtime.DeviceFault;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs requests the way Nuclio's processor schedules events: at most {@code workers} at once; a request that
 * finds no free worker within the availability timeout is refused; one that runs past the event timeout is
 * answered at once and its work interrupted. A forward pass inside native code cannot be interrupted, so its
 * worker stays taken until the pass ends: however many requests time out, no more than {@code workers} passes
 * ever run at once (Nuclio restarts the worker's process instead; here the loaded model is kept).
 *
 * <p>A task that ends in a {@link DeviceFault}, whether or not its request still waits for it, is reported to the
 * fault listener: no later request could succeed.
 */
final class WorkerPool implements AutoCloseable {

  /** No worker became free in time (Nuclio answers 503). */
  static final class NoWorkerAvailable extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /** The request ran past the event timeout (Nuclio answers 408). */
  static final class EventTimedOut extends Exception {
    private static final long serialVersionUID = 1L;
  }

  private final Semaphore workers;
  private final ExecutorService threads;
  private final Duration availabilityTimeout;
  private final Duration eventTimeout;
  private final Consumer<DeviceFault> faults;

  WorkerPool(int workers, Duration availabilityTimeout, Duration eventTimeout, Consumer<DeviceFault> faults) {
    this.workers = new Semaphore(workers, true);
    this.availabilityTimeout = availabilityTimeout;
    this.eventTimeout = eventTimeout;
    this.faults = faults;
    AtomicInteger ids = new AtomicInteger();
    // One thread per worker is enough: a task is submitted only once it holds a worker.
    this.threads = Executors.newFixedThreadPool(workers, task -> {
      Thread thread = new Thread(task, "function-worker-" + ids.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Runs {@code task} on a worker and waits for its result. */
  <T> T run(Callable<T> task)
      throws NoWorkerAvailable, EventTimedOut, ExecutionException, InterruptedException {
    if (!workers.tryAcquire(availabilityTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new NoWorkerAvailable();
    }
    // Whoever claims the task frees its worker: the task when it ends, or a timeout that came before it began.
    AtomicBoolean claimed = new AtomicBoolean();
    Future<T> future;
    try {
      future = threads.submit(() -> {
        if (!claimed.compareAndSet(false, true)) {
          return null;
        }
        try {
          return task.call();
        } catch (DeviceFault fault) {
          faults.accept(fault);
          throw fault;
        } finally {
          workers.release();
        }
      });
    } catch (RejectedExecutionException e) { // closed
      workers.release();
      throw e;
    }
    try {
      return future.get(eventTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      if (claimed.compareAndSet(false, true)) {
        workers.release();
      }
      throw new EventTimedOut();
    }
  }

  /**
   * Interrupts the workers and waits for their tasks to end, at most {@code wait}; false when one still runs (inside
   * native code), so that what it uses must not be freed.
   */
  boolean close(Duration wait) throws InterruptedException {
    threads.shutdownNow();
    return threads.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
