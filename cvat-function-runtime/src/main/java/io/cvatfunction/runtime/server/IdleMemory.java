package io.cvatfunction.runtime.server;

import io.cvatfunction.runtime.NativeHeap;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Gives memory back once the function has gone quiet after serving: a burst of large frames grows the Java heap and
 * glibc's arenas, and neither shrinks by itself, so a container sized for the working set would be killed on the next
 * burst. After {@link #QUIET} without a request, following requests, it runs a garbage collection (G1 then uncommits
 * the free heap) and hands glibc's free memory back to the kernel ({@link NativeHeap} says what stays; the benchmarks
 * README has what it gives back). Fewer glibc arenas ({@code MALLOC_ARENA_MAX=2}) measured no
 * smaller after a burst, so the image does not set it.
 */
final class IdleMemory implements AutoCloseable {

  /** How long the function must be without a request before memory is given back. */
  static final Duration QUIET = Duration.ofSeconds(10);

  private final LongSupplier clock;
  private final Runnable giveBack;
  private final AtomicLong lastRequestEnd = new AtomicLong();
  private final AtomicLong requestsSinceGiveBack = new AtomicLong();
  private final ScheduledExecutorService timer;

  private IdleMemory(LongSupplier clock, Runnable giveBack, boolean scheduled) {
    this.clock = clock;
    this.giveBack = giveBack;
    this.timer = scheduled ? Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "cvat-idle-memory");
      thread.setDaemon(true);
      return thread;
    }) : null;
  }

  /** Checks every few seconds, with the JVM's collection and glibc's trim. */
  static IdleMemory start() {
    IdleMemory idle = new IdleMemory(System::nanoTime, IdleMemory::collectAndTrim, true);
    idle.timer.scheduleWithFixedDelay(idle::check, 5, 5, TimeUnit.SECONDS);
    return idle;
  }

  /** For tests: checked by hand, on the given clock, with the given action. */
  static IdleMemory manual(LongSupplier clock, Runnable giveBack) {
    return new IdleMemory(clock, giveBack, false);
  }

  /** Notes that a request ended. */
  void requestEnded() {
    lastRequestEnd.set(clock.getAsLong());
    requestsSinceGiveBack.incrementAndGet();
  }

  /** Gives memory back if requests came and then none for {@link #QUIET}. */
  void check() {
    if (requestsSinceGiveBack.get() > 0 && clock.getAsLong() - lastRequestEnd.get() >= QUIET.toNanos()) {
      requestsSinceGiveBack.set(0);
      giveBack.run();
    }
  }

  private static void collectAndTrim() {
    System.gc();
    NativeHeap.giveBackFreed();
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
