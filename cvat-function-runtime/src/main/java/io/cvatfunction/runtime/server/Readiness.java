package io.cvatfunction.runtime.server;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Whether the function can serve: loading, ready, stopping, or failed with a reason; and whether it still lives. */
final class Readiness {

  private final CountDownLatch settled = new CountDownLatch(1);
  private volatile boolean ready;
  private volatile boolean stopping;
  private volatile boolean faulted;
  private volatile String notReadyReason = "loading the model";

  boolean isReady() {
    return ready;
  }

  /** Why the function does not serve; meaningless once ready. */
  String notReadyReason() {
    return notReadyReason;
  }

  void markReady() {
    ready = true;
    settled.countDown();
  }

  /** Shutting down: not ready any more, so a load balancer stops sending while in-flight requests finish. */
  void markStopping() {
    notReadyReason = "the function is shutting down";
    stopping = true;
    ready = false;
  }

  /** Whether the function was ready and is now stopping: the requests it took before still finish. */
  boolean isStopping() {
    return stopping;
  }

  /** The device failed: nothing can be served any more, and the process is about to end. */
  void markFaulted(String reason) {
    notReadyReason = reason;
    faulted = true;
    ready = false;
    settled.countDown();
  }

  /** Whether the process can still serve once ready: false after a device fault. */
  boolean isLive() {
    return !faulted;
  }

  void markFailed(String reason) {
    notReadyReason = reason;
    settled.countDown();
  }

  /** Waits until loading ended either way; true when ready. */
  boolean await(Duration timeout) throws InterruptedException {
    return settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && ready;
  }
}
