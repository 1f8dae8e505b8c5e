package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a process without a usable GPU path gets: a reason that says what is missing and how to fix it, and frames
 * decoded on the CPU. (The GPU path itself runs on a GPU machine: the parity tests with {@code -Dcvat.device=gpu}
 * and {@code GpuInputCheck}, see the benchmarks' README.)
 */
class GpuFramePathTest {

  private static final FrameDecoder RULES = new FrameDecoder(50_000_000);

  @Test
  void aLibraryFileThatDoesNotExistIsNamed() {
    GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
        () -> GpuJpegDecoder.open(Device.gpu(), RULES, "/nonexistent/libnvjpeg.so.12"));
    assertTrue(e.getMessage().contains("CVAT_NVJPEG_LIBRARY names /nonexistent/libnvjpeg.so.12, which is not a file"),
        e.getMessage());
  }

  @Test
  void aFileThatIsNotTheLibrarySaysWhatToInstall(@TempDir Path dir) throws IOException {
    Path notALibrary = Files.writeString(dir.resolve("libnvjpeg.so.12"), "not an ELF file");
    GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
        () -> GpuJpegDecoder.open(Device.gpu(), RULES, notALibrary.toString()));
    assertTrue(e.getMessage().startsWith("nvJPEG (libnvjpeg.so.12) could not be loaded: "), e.getMessage());
    assertTrue(e.getMessage().contains("install CUDA 12's nvJPEG or name the file with CVAT_NVJPEG_LIBRARY"),
        e.getMessage());
  }

  @Test
  void onlyTheFirstVisibleGpuIsServed() {
    GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
        () -> GpuJpegDecoder.open(Device.gpu(1), RULES, null));
    assertTrue(e.getMessage().contains("the model is on gpu(1)"), e.getMessage());
    assertTrue(e.getMessage().contains("NVIDIA_VISIBLE_DEVICES"), e.getMessage());
  }

  @Test
  void theKernelCompilerIsLookedForBesideLibtorchsCudaBuild() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) { // loads libtorch, a CPU build
      GpuUnavailableException e = assertThrows(GpuUnavailableException.class, () -> FrameKernel.loadNvrtc(null));
      assertTrue(e.getMessage().contains("libtorch's CUDA build is not loaded: no NVRTC to compile the frame kernel"),
          e.getMessage());
    }
  }

  @Test
  void aKernelCompilerFileThatDoesNotExistIsNamed(@TempDir Path dir) {
    GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
        () -> FrameKernel.loadNvrtc(dir.resolve("libnvrtc.so.12").toString()));
    assertTrue(e.getMessage().contains("CVAT_NVRTC_LIBRARY names " + dir.resolve("libnvrtc.so.12")
        + ", which is not a file"), e.getMessage());
  }

  @Test
  void aCpuModelDecodesOnTheCpuAndAnUnknownOrGpuDecoderIsRefused() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      try (FramePreprocessor frames = FramePreprocessor.create(RULES, 640, 640, "auto", manager)) {
        assertFalse(frames.decodesOnGpu());
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> FramePreprocessor.create(RULES, 640, 640, "nvjpeg", manager));
      assertTrue(e.getMessage().contains("unknown decoder 'nvjpeg': use auto"), e.getMessage());
      IllegalArgumentException gpu = assertThrows(IllegalArgumentException.class,
          () -> FramePreprocessor.create(RULES, 640, 640, "gpu", manager));
      assertTrue(gpu.getMessage().startsWith("cvat.decoder=gpu, but the model is on the CPU"), gpu.getMessage());
    }
  }
}
