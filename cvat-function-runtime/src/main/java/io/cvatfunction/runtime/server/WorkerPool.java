package io.cvatfunction.runtime.server;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs requests the way Nuclio's processor schedules events: at most {@code workers} at once; a request
 * that finds no free worker within the availability timeout is refused; one that runs past the event
 * timeout is abandoned and its worker slot freed at once, so the function keeps serving.
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

  private final Semaphore slots;
  private final ExecutorService threads;
  private final Duration availabilityTimeout;
  private final Duration eventTimeout;

  WorkerPool(int workers, Duration availabilityTimeout, Duration eventTimeout) {
    this.slots = new Semaphore(workers, true);
    this.availabilityTimeout = availabilityTimeout;
    this.eventTimeout = eventTimeout;
    AtomicInteger ids = new AtomicInteger();
    // Cached: an abandoned request keeps its thread until it ends, and a fresh thread takes its slot.
    this.threads = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "function-worker-" + ids.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Runs {@code task} on a worker and waits for its result. */
  <T> T run(Callable<T> task)
      throws NoWorkerAvailable, EventTimedOut, ExecutionException, InterruptedException {
    if (!slots.tryAcquire(availabilityTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new NoWorkerAvailable();
    }
    try {
      Future<T> future = threads.submit(task);
      try {
        return future.get(eventTimeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        future.cancel(true);
        throw new EventTimedOut();
      }
    } finally {
      slots.release();
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
