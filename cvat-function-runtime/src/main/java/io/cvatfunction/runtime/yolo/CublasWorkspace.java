package io.cvatfunction.runtime.yolo;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cuBLAS workspace of each thread. libtorch gives every thread that runs a matrix product on a GPU its own
 * cuBLAS handle and workspace, sized by {@code CUBLAS_WORKSPACE_CONFIG}; on a Hopper GPU its default measured 100
 * to 150 MiB a thread on an H200. Every worker runs a segmentation model's mask product: with 16 workers 4.4 GiB,
 * against 2.2 GiB with PyTorch's default for the GPUs before Hopper, 8 MiB, at the same request times.
 */
final class CublasWorkspace {

  private static final Logger LOG = LoggerFactory.getLogger(CublasWorkspace.class);

  static final String VARIABLE = "CUBLAS_WORKSPACE_CONFIG";

  /** Two chunks of 4 MiB and eight of 16 KiB: PyTorch's default before Hopper. */
  static final String PER_THREAD = ":4096:2:16:8";

  private CublasWorkspace() {}

  /**
   * Sizes the workspace unless the process was given {@value #VARIABLE}. libtorch reads it once, at the first
   * matrix product on a GPU: call this before the model runs.
   *
   * @return the setting in force, or empty where the environment could not be read (libtorch's default then)
   */
  static Optional<String> limit() {
    try {
      String setting = NativeEnvironment.setIfAbsent(VARIABLE, PER_THREAD);
      LOG.debug("cuBLAS workspace per thread: {}={}", VARIABLE, setting);
      return Optional.of(setting);
    } catch (LinkageError | RuntimeException e) {
      LOG.warn("{} could not be set ({}): each thread that runs a matrix product keeps libtorch's default cuBLAS"
          + " workspace", VARIABLE, e.toString());
      return Optional.empty();
    }
  }
}
