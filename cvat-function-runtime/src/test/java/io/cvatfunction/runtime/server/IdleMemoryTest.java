package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Memory is given back once after requests, when none came for the quiet time, and not while idle for good. */
class IdleMemoryTest {

  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger givenBack = new AtomicInteger();
  private final IdleMemory idle = IdleMemory.manual(now::get, givenBack::incrementAndGet);

  @Test
  void givesBackOnceAQuietTimeAfterRequests() {
    idle.check();
    assertEquals(0, givenBack.get(), "nothing served yet: nothing to give back");
    idle.requestEnded();
    now.addAndGet(IdleMemory.QUIET.toNanos() - 1);
    idle.check();
    assertEquals(0, givenBack.get(), "not quiet long enough");
    now.addAndGet(1);
    idle.check();
    assertEquals(1, givenBack.get(), "quiet for the whole time after a request");
    now.addAndGet(10 * IdleMemory.QUIET.toNanos());
    idle.check();
    assertEquals(1, givenBack.get(), "idle for good: once is enough");
    idle.requestEnded();
    now.addAndGet(IdleMemory.QUIET.toNanos() / 2);
    idle.requestEnded();
    now.addAndGet(IdleMemory.QUIET.toNanos() / 2);
    idle.check();
    assertEquals(1, givenBack.get(), "the quiet time counts from the last request");
    now.addAndGet(IdleMemory.QUIET.toNanos() / 2);
    idle.check();
    assertEquals(2, givenBack.get());
  }
}
