package io.cvatfunction.runtime.yolo;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.cvatfunction.contract.ModelMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Ultralytics TorchScript export loaded with DJL's PyTorch engine, and its forward passes; its {@link
 * TaskDecoder} (chosen by the function at load) makes the input and decodes the outputs.
 *
 * <p>Thread-safe: worker threads share one instance; each request scopes its tensors in its own
 * {@link #newRequestManager() NDManager}, closed when it is done, so no native memory outlives a request.
 * Concurrent requests' forward passes run as batches ({@link ForwardBatcher}) when the export allows it.
 */
public final class YoloModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(YoloModel.class);

  private final Model model;
  private final ModelMetadata metadata;
  private final ForwardBatcher batcher; // null: one request per forward pass
  private volatile Thread batchWarmUp;
  private volatile boolean closing;

  private YoloModel(Model model, ModelMetadata metadata, int maxBatch) {
    this.model = model;
    this.metadata = metadata;
    this.batcher = maxBatch < 2 ? null
        : new ForwardBatcher(this::forward, this::newRequestManager, maxBatch, "cvat-forward");
  }

  /**
   * Loads a TorchScript file on a device and reads its metadata. Nothing is downloaded: DJL runs in
   * offline mode unless the caller set {@code ai.djl.offline} itself.
   *
   * @param maxBatch the most concurrent requests one forward pass may take; above 1, once {@link #startBatching}
   *     has checked that the export takes batches whose frames' outputs do not depend on each other
   */
  public static YoloModel load(Path file, Device device, int maxBatch) throws IOException, MalformedModelException {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (device.isGpu()) {
      CublasWorkspace.limit();
    }
    Model model = Model.newInstance(file.getFileName().toString(), device, "PyTorch");
    try {
      // mapLocation remaps the traced constants (anchors, strides) to the device; extraFiles exposes config.txt.
      model.load(file, null, Map.of("mapLocation", "true", "extraFiles", "config.txt"));
      String config = model.getProperty("config.txt");
      if (config == null || config.isBlank()) {
        throw new MalformedModelException(file + " has no config.txt metadata: export it with Ultralytics ("
            + "yolo export model=best.pt format=torchscript)");
      }
      return new YoloModel(model, ModelMetadata.parse(config), maxBatch);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The model's own description of itself. */
  public ModelMetadata metadata() {
    return metadata;
  }

  /**
   * The most requests one forward pass takes now: 1 unless batching was asked for, the export allows it and
   * {@link #startBatching} has run every batch size.
   */
  public int maxBatch() {
    return batcher == null ? 1 : batcher.limit();
  }

  /** A manager for one request's tensors on the model's device; close it when the request is done. */
  public NDManager newRequestManager() {
    return model.getNDManager().newSubManager();
  }

  /**
   * The forward pass of one request's input, as one batch with concurrent requests' when batches are open. Every pass
   * runs on the batcher's one thread, one request at a time until batches open or for good if the export refuses them:
   * libtorch keeps cuDNN and cuBLAS state for each thread that runs a pass.
   *
   * @param batch a {@code (1, 3, height, width)} input on the model's device, in the request's manager, which also
   *     receives the outputs
   */
  public NDList infer(NDArray batch) {
    return batcher == null ? forward(batch) : batcher.forward(batch);
  }

  /**
   * The forward pass alone, on a {@code (n, 3, inputHeight, inputWidth)} batch on the model's device; the outputs
   * live in the batch's manager. {@link #infer} runs it; benchmarks time it.
   */
  public NDList forward(NDArray batch) {
    return model.getBlock().forward(new ParameterStore(batch.getManager(), false), new NDList(batch), false);
  }

  /** Runs forward passes on a grey input so the first request does not pay for graph optimisation. */
  public void warmUp(int passes) {
    try (NDManager manager = newRequestManager()) {
      NDArray grey = grey(manager);
      for (int i = 0; i < passes; i++) {
        forward(grey).get(0).toFloatArray();
      }
    }
  }

  /**
   * Lets concurrent requests' passes run as batches once the export has passed the batch check ({@link
   * ForwardBatcher#refusal}) and, on a GPU, every batch size has run {@code passes} times (each new input shape
   * is optimised anew, seconds in all): on a GPU in the background, so that readiness does not wait; on the CPU
   * at once, where a batch costs as much as its frames alone. Call after the warm-up.
   */
  public void startBatching(int passes) {
    if (batcher == null) {
      return;
    }
    if (!model.getNDManager().getDevice().isGpu()) {
      openBatches(0);
    } else if (batchWarmUp == null) {
      batchWarmUp = new Thread(() -> openBatches(passes), "cvat-batch-warm-up");
      batchWarmUp.setDaemon(true);
      batchWarmUp.start();
    }
  }

  /** Checks that the export takes batches, runs each batch size {@code passes} times, then lets batches form. */
  private void openBatches(int passes) {
    long start = System.nanoTime();
    try (NDManager manager = newRequestManager()) {
      NDArray grey = grey(manager);
      NDArray ramp = manager.linspace(0f, 1f, 3 * metadata.inputHeight() * metadata.inputWidth())
          .reshape(1, 3, metadata.inputHeight(), metadata.inputWidth());
      Optional<String> refusal = ForwardBatcher.refusal(this::forward, grey, ramp);
      if (refusal.isPresent()) {
        LOG.info("One request per forward pass: {}", refusal.get());
        return;
      }
      for (int size = 2; size <= batcher.maxBatch() && !closing; size++) {
        NDArray batch = grey.repeat(0, size);
        for (int i = 0; i < passes && !closing; i++) {
          forward(batch).get(0).toFloatArray();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("One request per forward pass: a batch could not run ({})", e.getMessage());
      return;
    }
    if (!closing) {
      batcher.open();
      LOG.info("Forward passes take up to {} concurrent requests at once (cvat.batch; checked and warmed in {} ms)",
          batcher.maxBatch(), (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** The shape of the first output, from a pass on a grey input. */
  Shape outputShape() {
    try (NDManager manager = newRequestManager()) {
      return forward(grey(manager)).get(0).getShape();
    }
  }

  /** A letterbox-grey input, as padding looks to the model. */
  private NDArray grey(NDManager manager) {
    return manager.full(new Shape(1, 3, metadata.inputHeight(), metadata.inputWidth()), 114f).div(255f);
  }

  @Override
  public void close() {
    closing = true;
    Thread warming = batchWarmUp;
    if (warming != null) {
      try {
        warming.join(); // its pass must end before the model's memory goes: at most one pass, as closing is set
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (batcher != null) {
      batcher.close();
    }
    model.close();
  }
}
