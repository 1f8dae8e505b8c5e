package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.DeviceFault;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerPoolTest {

  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<DeviceFault> faults = new CopyOnWriteArrayList<>();
  /** Time enough for a pool thread to start its task on a loaded machine: shorter, a task can time out unstarted. */
  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(1);

  /** A forward pass in native code: interrupts do not stop it, only its end does. */
  private String uninterruptiblePass() {
    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      boolean interrupted = false;
      while (true) {
        try {
          release.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      return interrupted ? "interrupted, finished anyway" : "finished";
    } finally {
      running.decrementAndGet();
    }
  }

  @Test
  void timedOutPassesKeepTheirWorkersUntilTheyEnd() throws Exception {
    try (WorkerPool pool = new WorkerPool(2, Duration.ofSeconds(1), EVENT_TIMEOUT, faults::add)) {
      for (int i = 0; i < 4; i++) {
        // Two time out and keep running; every later one finds both workers taken.
        Class<? extends Exception> expected = i < 2 ? WorkerPool.EventTimedOut.class : WorkerPool.NoWorkerAvailable.class;
        assertThrows(expected, () -> pool.run(this::uninterruptiblePass), "request " + i);
      }
      assertEquals(2, mostAtOnce.get(), "never more passes than workers");
      assertEquals(2, running.get());

      release.countDown();
      assertEquals("finished", pool.run(this::uninterruptiblePass), "the workers are free once the passes ended");
      assertEquals(2, mostAtOnce.get());
    }
  }

  @Test
  void aDeviceFaultIsReportedEvenWhenItsRequestWasAnsweredAlready() throws Exception {
    DeviceFault fault = new DeviceFault("pretend the context broke", null);
    try (WorkerPool pool = new WorkerPool(1, Duration.ofSeconds(5), EVENT_TIMEOUT, faults::add)) {
      assertThrows(WorkerPool.EventTimedOut.class, () -> pool.run(() -> {
        uninterruptiblePass(); // as a pass that outlives its request's event timeout, then fails
        throw fault;
      }));
      assertEquals(List.of(), faults);
      release.countDown();
      ExecutionException direct = assertThrows(ExecutionException.class, () -> pool.run(() -> {
        throw fault;
      }));
      assertSame(fault, direct.getCause());
      assertEquals(List.of(fault, fault), faults, "the late one, then the direct one");
    }
  }

  @Test
  void closeSaysWhetherATaskIsStillInsideNativeCode() throws Exception {
    WorkerPool pool = new WorkerPool(1, Duration.ofSeconds(5), EVENT_TIMEOUT, faults::add);
    assertThrows(WorkerPool.EventTimedOut.class, () -> pool.run(this::uninterruptiblePass));
    assertFalse(pool.close(Duration.ofMillis(200)), "the pass still runs");
    release.countDown();
    assertTrue(pool.close(Duration.ofSeconds(5)), "the pass ended");
  }

  @Test
  void anInterruptibleTimedOutTaskFreesItsWorkerAtOnce() throws Exception {
    try (WorkerPool pool = new WorkerPool(1, Duration.ofSeconds(5), EVENT_TIMEOUT, faults::add)) {
      assertThrows(WorkerPool.EventTimedOut.class, () -> pool.run(() -> {
        Thread.sleep(60_000);
        return "slept";
      }));
      // The one worker is free within the availability timeout, long before the sleep would have ended
      assertEquals("next", pool.run(() -> "next"), "the interrupted sleep ended and freed the worker");
    }
  }
}
