package io.cvatfunction.runtime.server;

import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.yolo.YoloDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The YOLOv8n shapes detector, but each request first logs {@value #MARKER} and pauses
 * {@code cvat.test.handleDelayMs} (default 1500 ms): a test watching the log knows a request is in flight
 * and has time to act (e.g. send SIGTERM) before it ends.
 */
@CvatFunction(
    name = "slow-shapes",
    description = "Circles, squares and triangles (YOLOv8n), slowly",
    model = "classpath:fixtures/models/shapes-yolov8n.torchscript",
    workers = 4)
public class SlowShapesDetector extends YoloDetector {

  /** Logged when a request starts running on a worker. */
  static final String MARKER = "slow-shapes: request started";

  private static final Logger LOG = LoggerFactory.getLogger(SlowShapesDetector.class);
  private static final long DELAY_MS = Long.getLong("cvat.test.handleDelayMs", 1500);

  @Override
  public Object handle(byte[] body, RequestTrace trace) throws BadRequestException {
    LOG.info(MARKER);
    try {
      Thread.sleep(DELAY_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pausing", e);
    }
    return super.handle(body, trace);
  }
}
