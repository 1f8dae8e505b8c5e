package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.HandlerOptions;
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
      awaitWarmUpPass();
      throw new IllegalStateException("no CVAT name for " + modelLabel);
    }
  }

  /** Returns once the warm-up thread has been in its passes a moment: the failure then comes mid-pass. */
  private static void awaitWarmUpPass() {
    long deadline = System.nanoTime() + 5_000_000_000L;
    try {
      while (!warmUpThreadAlive() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean warmUpThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("cvat-warm-up"));
  }

  @Test
  void aFailedLoadSaysWhyAndLeavesNoWarmUpPassRunning() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new BrokenLabels().load(HandlerOptions.cpu()));

    assertEquals("no CVAT name for circle", e.getMessage());
    assertFalse(warmUpThreadAlive(), "the load waited for the warm-up passes before it closed the model");
  }
}
