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
import io.cvatfunction.runtime.DeviceFault;
import io.cvatfunction.runtime.NativeHeap;
import io.cvatfunction.runtime.image.CudaContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
 * Concurrent requests' forward passes run as batches ({@link ForwardBatcher}) when the export allows it. On a GPU,
 * and wherever batches are asked for, every pass runs on the batcher's one thread, and a request waits for its pass
 * no longer than the pass timeout.
 */
public final class YoloModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(YoloModel.class);

  private final Model model;
  private final ModelMetadata metadata;
  private final ForwardBatcher batcher; // null: each request's pass on its own thread (the CPU, one at a time)
  private final Duration passTimeout;
  private volatile Thread batchWarmUp;
  private volatile boolean closing;

  private YoloModel(Model model, ModelMetadata metadata, int maxBatch, Duration passTimeout) {
    this.model = model;
    this.metadata = metadata;
    this.passTimeout = passTimeout;
    this.batcher = maxBatch < 2 && !model.getNDManager().getDevice().isGpu() ? null
        : new ForwardBatcher(this::forward, this::newRequestManager, maxBatch, passTimeout, "cvat-forward");
  }

  /**
   * Loads a TorchScript file on a device and reads its metadata. Nothing is downloaded: DJL runs in
   * offline mode unless the caller set {@code ai.djl.offline} itself.
   *
   * @param maxBatch the most concurrent requests one forward pass may take; above 1, once {@link #startBatching}
   *     has checked that the export takes batches whose frames' outputs do not depend on each other
   * @param passTimeout how long a request waits for its pass before the device counts as hung
   */
  public static YoloModel load(Path file, Device device, int maxBatch, Duration passTimeout)
      throws IOException, MalformedModelException {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    NativeHeap.keepFreedMemory();
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
      return new YoloModel(model, ModelMetadata.parse(config), maxBatch, passTimeout);
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

  /**
   * How many batched passes ran with each number of requests: index {@code n} counts the passes of {@code n}
   * requests. Empty when each request's pass runs on its own thread.
   */
  public long[] passesByBatchSize() {
    return batcher == null ? new long[0] : batcher.passesBySize();
  }

  /** The device the model runs on, as DJL names it ({@code cpu()}, {@code gpu(0)}). */
  public String device() {
    return model.getNDManager().getDevice().toString();
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
   * ForwardBatcher#refusal}) at every batch size that may run: on a GPU in the background, so that readiness does not
   * wait (each new input shape is optimised anew, seconds in all, and the checks' passes warm each size up); on the
   * CPU at once. Call after the warm-up.
   */
  public void startBatching() {
    if (batcher == null || batcher.maxBatch() < 2) {
      return;
    }
    if (!model.getNDManager().getDevice().isGpu()) {
      openBatches();
    } else if (batchWarmUp == null) {
      batchWarmUp = new Thread(this::openBatches, "cvat-batch-warm-up");
      batchWarmUp.setDaemon(true);
      batchWarmUp.start();
    }
  }

  /** Checks that the export takes batches of every size up to the limit, then lets batches form. */
  private void openBatches() {
    long start = System.nanoTime();
    try {
      for (int size = 2; size <= batcher.maxBatch() && !closing; size++) {
        try (NDManager check = newRequestManager()) { // each size's outputs freed before the next
          NDArray ramp = check.linspace(0f, 1f, 3 * metadata.inputHeight() * metadata.inputWidth())
              .reshape(1, 3, metadata.inputHeight(), metadata.inputWidth());
          Optional<String> refusal = ForwardBatcher.refusal(this::forward, grey(check), ramp, size);
          if (refusal.isPresent()) {
            LOG.info("One request per forward pass: {}", refusal.get());
            return;
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("One request per forward pass: a batch could not run ({})", e.getMessage());
      return;
    }
    if (!closing) {
      batcher.open();
      LOG.info("Forward passes take up to {} concurrent requests at once (cvat.batch; each size checked and warmed in"
          + " {} ms)", batcher.maxBatch(), (System.nanoTime() - start) / 1_000_000);
    }
  }

  /**
   * What a failure on the request path means for the device: a {@link DeviceFault} when the GPU's context is broken
   * (no later request could succeed), else the failure itself.
   */
  RuntimeException faultOr(RuntimeException failure) {
    if (failure instanceof DeviceFault) {
      return failure;
    }
    return CudaContext.stickyError(model.getNDManager().getDevice())
        .<RuntimeException>map(error -> new DeviceFault("the GPU's CUDA context is broken (" + error + ") after: "
            + failure.getMessage(), failure))
        .orElse(failure);
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
    if (batcher != null && !batcher.close(passTimeout)) {
      LOG.warn("A forward pass still runs after {} s: the model's memory is left to the process's end",
          passTimeout.toSeconds());
      return;
    }
    model.close();
  }
}
