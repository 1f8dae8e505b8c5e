package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.HandlerOptions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class YoloDetectorLoadTest {

  /** A user's label hook that fails while the model's first passes run beside it. */
  @CvatFunction(
      name = "broken-labels",
      description = "A label hook that throws",
      model = "classpath:fixtures/models/shapes-yolov8n.torchscript")
  static class BrokenLabels extends YoloDetector {
    @Override
    protected String label(String modelLabel) {
      failedMidPass = awaitWarmUpPass();
      throw new IllegalStateException("no CVAT name for " + modelLabel);
    }
  }

  private static volatile boolean failedMidPass;

  /** Returns once the warm-up thread is in its passes (true), so the failure comes mid-pass; false after 5 s. */
  private static boolean awaitWarmUpPass() {
    long deadline = System.nanoTime() + 5_000_000_000L;
    try {
      while (!warmUpPassRunning()) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(1);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void aFailedLoadSaysWhyAndLeavesNoWarmUpPassRunning() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new BrokenLabels().load(HandlerOptions.cpu()));

    assertEquals("no CVAT name for circle", e.getMessage());
    assertTrue(failedMidPass, "the label hook failed while a warm-up pass ran");
    assertFalse(warmUpPassRunning(), "the load waited for the warm-up passes before it closed the model");
  }

  /** Whether a warm-up thread is still in the model's passes (once they end, the thread takes a moment to go). */
  private static boolean warmUpPassRunning() {
    return Thread.getAllStackTraces().entrySet().stream().filter(e -> e.getKey().getName().equals("cvat-warm-up"))
        .flatMap(e -> Arrays.stream(e.getValue()))
        .anyMatch(frame -> frame.getClassName().equals(YoloModel.class.getName()) && frame.getMethodName()
            .equals("warmUp"));
  }
}
