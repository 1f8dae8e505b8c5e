package io.cvatfunction.maven.invoke;

import io.cvatfunction.maven.deploy.DeployLog;
import io.cvatfunction.maven.nuclio.NuclioException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One {@code cvat:invoke}: the frame, threshold and timeout are checked before anything is sent; then the frame
 * goes to the function as CVAT sends it, the shapes it found are listed and drawn onto a PNG.
 */
public final class Invocation {

  private final Path image;
  private final byte[] frame;
  private final double minConfidence;
  private final Duration timeout;

  private Invocation(Path image, byte[] frame, double minConfidence, Duration timeout) {
    this.image = image;
    this.frame = frame;
    this.minConfidence = minConfidence;
    this.timeout = timeout;
  }

  /**
   * Reads and checks what to send.
   *
   * @param image {@code cvat.invoke.image}, or null
   * @param threshold {@code cvat.invoke.threshold}
   * @param timeoutSeconds {@code cvat.invoke.timeout}
   * @throws NuclioException naming the parameter that is wrong
   */
  public static Invocation prepare(Path image, String threshold, int timeoutSeconds) throws NuclioException {
    if (timeoutSeconds <= 0) {
      throw new NuclioException("cvat.invoke.timeout must be a positive number of seconds, got " + timeoutSeconds);
    }
    byte[] frame = FrameInvoker.frame(image);
    return new Invocation(image, frame, FrameInvoker.threshold(threshold), Duration.ofSeconds(timeoutSeconds));
  }

  /**
   * Sends the frame, logs the shapes as a table and draws them onto {@code png}. A frame the JDK cannot decode is
   * no failure: the shapes are still listed, only the drawing is left out.
   *
   * @param target the function's URL
   * @param png where the drawing goes
   * @param edges the lines between each skeleton label's keypoints; when they are missing and the answer has
   *     skeletons, the log says why
   * @return the summary line
   * @throws NuclioException when the function cannot be reached or answers with an error
   * @throws IOException when {@code png} cannot be written
   */
  public String send(URI target, Path png, SkeletonEdges edges, DeployLog log)
      throws NuclioException, InterruptedException, IOException {
    FrameInvoker.Answer answer = new FrameInvoker(timeout).invoke(target, frame, minConfidence);
    log.info(answer.shapes().size() + " shape(s) from " + target + " for " + image.getFileName() + " (threshold "
        + minConfidence + "), " + answer.latency().toMillis() + " ms:");
    for (String line : ShapeTable.format(answer.shapes())) {
      log.info("  " + line);
    }
    if (answer.shapes().stream().anyMatch(s -> !s.keypoints().isEmpty())) {
      edges.missing().ifPresent(log::info);
    }
    String drawing;
    try {
      BoxPainter.Painted painted = BoxPainter.paint(BoxPainter.decode(frame), answer.shapes(), edges);
      BoxPainter.writePng(painted.image(), png);
      if (!painted.tagged()) {
        log.warn("this JDK has no fonts (install fontconfig and e.g. fonts-dejavu-core): shapes drawn without "
            + "their labels");
      }
      drawing = "wrote " + png;
    } catch (NuclioException e) {
      log.warn(e.getMessage());
      drawing = "no drawing";
    }
    return "cvat:invoke: " + answer.shapes().size() + " shape(s) in " + answer.latency().toMillis() + " ms; " + drawing;
  }
}
