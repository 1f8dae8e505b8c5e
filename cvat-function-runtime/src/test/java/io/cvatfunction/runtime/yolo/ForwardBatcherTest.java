package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cvatfunction.runtime.DeviceFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForwardBatcherTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final NDManager base = NDManager.newBaseManager("PyTorch");
  private final ExecutorService callers = Executors.newFixedThreadPool(4);

  @AfterEach
  void close() {
    callers.shutdownNow();
    base.close();
  }

  /** A stand-in model: two outputs per item, its input doubled and its sum, batch dimension first. */
  private static NDList model(NDArray batch) {
    return new NDList(batch.mul(2), batch.sum(new int[] {1, 2, 3}, true));
  }

  @Test
  void requestsThatQueueDuringAPassShareTheNextAndEachGetsItsOwnOutputs() throws Exception {
    try (ForwardBatcher batcher = new ForwardBatcher(this::recorded, base::newSubManager, 8, TIMEOUT, "test-forward")) {
      batcher.open();
      assertEquals(List.of(1L, 3L), passesWhileTheFirstRuns(batcher));
      assertArrayEquals(new long[] {0, 1, 0, 1, 0, 0, 0, 0, 0}, batcher.passesBySize());
    }
  }

  @Test
  void untilOpenEveryRequestRunsAlone() throws Exception {
    try (ForwardBatcher batcher = new ForwardBatcher(this::recorded, base::newSubManager, 8, TIMEOUT, "test-forward")) {
      assertEquals(1, batcher.limit());
      assertEquals(List.of(1L, 1L, 1L, 1L), passesWhileTheFirstRuns(batcher));
    }
  }

  private final List<Long> passes = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstPassRunning = new CountDownLatch(1);
  private final CountDownLatch othersQueued = new CountDownLatch(1);

  /** The stand-in model, recording each pass's batch size; the first pass waits until the test lets it end. */
  private NDList recorded(NDArray batch) {
    passes.add(batch.getShape().get(0));
    if (passes.size() == 1) {
      firstPassRunning.countDown();
      await(othersQueued);
    }
    return model(batch);
  }

  /** Four requests, three of them sent while the first one's pass runs; each must get its own outputs. */
  private List<Long> passesWhileTheFirstRuns(ForwardBatcher batcher) throws Exception {
    Future<float[]> first = callers.submit(() -> call(batcher, 1f));
    assertTrue(firstPassRunning.await(10, TimeUnit.SECONDS));
    List<Future<float[]>> queued = new ArrayList<>();
    for (float value : new float[] {2f, 3f, 4f}) {
      queued.add(callers.submit(() -> call(batcher, value)));
    }
    while (batcher.waiting() < 3) {
      Thread.sleep(5);
    }
    othersQueued.countDown();

    assertArrayEquals(new float[] {2f, 2f, 2f, 2f, 4f}, first.get(10, TimeUnit.SECONDS));
    assertArrayEquals(new float[] {4f, 4f, 4f, 4f, 8f}, queued.get(0).get(10, TimeUnit.SECONDS));
    assertArrayEquals(new float[] {6f, 6f, 6f, 6f, 12f}, queued.get(1).get(10, TimeUnit.SECONDS));
    assertArrayEquals(new float[] {8f, 8f, 8f, 8f, 16f}, queued.get(2).get(10, TimeUnit.SECONDS));
    return passes;
  }

  @Test
  void theOutputsLiveInTheCallersManager() {
    try (ForwardBatcher batcher = new ForwardBatcher(ForwardBatcherTest::model, base::newSubManager, 4, TIMEOUT, "test-forward");
        NDManager request = base.newSubManager()) {
      batcher.open();
      NDArray input = request.ones(new Shape(1, 1, 2, 2));
      NDList outputs = batcher.forward(input);
      outputs.forEach(output -> assertSame(request, output.getManager()));
    }
  }

  @Test
  void aFailedPassFailsItsRequestsAndTheNextPassRuns() {
    RuntimeException broken = new IllegalStateException("CUDA out of memory");
    List<Integer> calls = new CopyOnWriteArrayList<>();
    Function<NDArray, NDList> failsOnce = batch -> {
      calls.add(1);
      if (calls.size() == 1) {
        throw broken;
      }
      return model(batch);
    };
    try (ForwardBatcher batcher = new ForwardBatcher(failsOnce, base::newSubManager, 4, TIMEOUT, "test-forward");
        NDManager request = base.newSubManager()) {
      NDArray input = request.ones(new Shape(1, 1, 2, 2));
      assertSame(broken, assertThrows(IllegalStateException.class, () -> batcher.forward(input)));
      assertEquals(4f, batcher.forward(input).get(1).getFloat(0, 0, 0, 0));
    }
  }

  @Test
  void aClosedBatcherRefuses() {
    ForwardBatcher batcher = new ForwardBatcher(ForwardBatcherTest::model, base::newSubManager, 2, TIMEOUT, "test-forward");
    batcher.close();
    try (NDManager request = base.newSubManager()) {
      NDArray input = request.ones(new Shape(1, 1, 2, 2));
      assertEquals("the model was closed",
          assertThrows(IllegalStateException.class, () -> batcher.forward(input)).getMessage());
    }
  }

  @Test
  void aModelWhoseBatchItemsGetTheirOwnOutputsCanBatch() {
    assertEquals(Optional.empty(), ForwardBatcher.refusal(ForwardBatcherTest::model, input(0.2f), input(0.7f), 2));
    assertEquals(Optional.empty(), ForwardBatcher.refusal(ForwardBatcherTest::model, input(0.2f), input(0.7f), 8));
  }

  @Test
  void eachBatchSizeIsCheckedOnItsOwn() {
    // As a head whose kernels differ above some batch size: batches of 2 are clean, batches of 3 mix their frames.
    Function<NDArray, NDList> mixingAboveTwo = batch ->
        batch.getShape().get(0) > 2 ? new NDList(batch.add(batch.mean())) : model(batch);
    assertEquals(Optional.empty(), ForwardBatcher.refusal(mixingAboveTwo, input(0.2f), input(0.7f), 2));
    assertEquals(Optional.of("output 0 of a frame in a batch of 3 depends on the other frames"),
        ForwardBatcher.refusal(mixingAboveTwo, input(0.2f), input(0.7f), 3));
  }

  @Test
  void aPassThatDoesNotReturnInTimeIsADeviceFaultAndTheModelIsNotFreedUnderIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Function<NDArray, NDList> hangs = batch -> { // as native code: an interrupt does not end it
      while (true) {
        try {
          release.await();
          return model(batch);
        } catch (InterruptedException e) {
          // keeps waiting
        }
      }
    };
    ForwardBatcher batcher = new ForwardBatcher(hangs, base::newSubManager, 2, Duration.ofMillis(300), "test-forward");
    try (NDManager request = base.newSubManager()) {
      NDArray input = request.ones(new Shape(1, 1, 2, 2));
      long start = System.nanoTime();
      DeviceFault fault = assertThrows(DeviceFault.class, () -> batcher.forward(input));
      assertTrue(System.nanoTime() - start >= 300_000_000L);
      assertEquals("a forward pass has not returned in 0.3 s: the device is hung", fault.getMessage());
      assertTrue(input.getManager() != request, "the hung pass's input is left to it, not freed with the request");
      assertEquals(false, batcher.close(Duration.ofMillis(100)), "a pass still runs");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aModelThatMixesTheBatchCannot() {
    // As an export whose traced reshape folds the batch: each item's outputs depend on the others.
    Function<NDArray, NDList> mixing = batch -> new NDList(batch.add(batch.mean()));
    assertEquals(Optional.of("output 0 of a frame in a batch of 2 depends on the other frames"),
        ForwardBatcher.refusal(mixing, input(0.2f), input(0.7f), 2));
  }

  @Test
  void aModelWithAFixedBatchCannot() {
    Function<NDArray, NDList> fixed = batch -> new NDList(batch.sum(new int[] {0}, true));
    assertEquals(Optional.of("output 0 of a batch of 2 has the shape (1, 1, 2, 2)"),
        ForwardBatcher.refusal(fixed, input(0.2f), input(0.7f), 2));
    Function<NDArray, NDList> firstOnly = batch -> new NDList(batch.get("0:1").repeat(0, batch.getShape().get(0)));
    assertEquals(Optional.of("output 0 of a frame in a batch of 2 depends on the other frames"),
        ForwardBatcher.refusal(firstOnly, input(0.2f), input(0.7f), 2));
    Function<NDArray, NDList> throwing = batch -> {
      if (batch.getShape().get(0) != 1) {
        throw new IllegalArgumentException("shape mismatch");
      }
      return new NDList(batch);
    };
    assertEquals(Optional.of("a forward pass on a batch of 2 failed: shape mismatch"),
        ForwardBatcher.refusal(throwing, input(0.2f), input(0.7f), 2));
  }

  private NDArray input(float value) {
    return base.full(new Shape(1, 1, 2, 2), value);
  }

  private float[] call(ForwardBatcher batcher, float value) {
    try (NDManager request = base.newSubManager()) {
      NDList outputs = batcher.forward(request.full(new Shape(1, 1, 2, 2), value));
      float[] doubled = outputs.get(0).toFloatArray();
      float[] sum = outputs.get(1).toFloatArray();
      return new float[] {doubled[0], doubled[1], doubled[2], doubled[3], sum[0]};
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
