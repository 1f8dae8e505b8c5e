package io.cvatfunction.runtime.image;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cvatfunction.runtime.BadRequestException;
import java.util.List;
import java.util.Map;

/**
 * JPEG frame to model input on the model's GPU: nvJPEG decodes the planes ({@link GpuJpegDecoder}), one kernel
 * makes the input from them ({@link FrameKernel}). Opened only when it gives the CPU path's input on test frames.
 */
final class GpuFramePath implements AutoCloseable {

  private final GpuJpegDecoder decoder;
  private final FrameKernel kernel;
  private String proof = "not tested";
  private List<String> unusedDecoders = List.of();

  private GpuFramePath(GpuJpegDecoder decoder, FrameKernel kernel) {
    this.decoder = decoder;
    this.kernel = kernel;
  }

  /**
   * Opens nvJPEG and the kernel for {@code device} and proves them on test frames.
   *
   * @param cpuDecoder the CPU decoder: its checks apply to GPU-decoded frames too, and it decodes the test frames
   * @param manager a manager on {@code device}
   * @throws GpuUnavailableException when the GPU path cannot serve; the CPU path then does
   * @throws IllegalStateException when the test broke the device's context, which the model needs too
   */
  static GpuFramePath open(Device device, FrameDecoder cpuDecoder, NDManager manager) throws GpuUnavailableException {
    GpuJpegDecoder decoder = GpuJpegDecoder.open(device, cpuDecoder, System.getenv("CVAT_NVJPEG_LIBRARY"));
    FrameKernel kernel;
    try {
      kernel = FrameKernel.open(device, System.getenv("CVAT_NVRTC_LIBRARY"));
    } catch (GpuUnavailableException | RuntimeException | LinkageError e) {
      decoder.close();
      throw e instanceof GpuUnavailableException u ? u
          : new GpuUnavailableException("the frame kernel could not be made: " + e, e);
    }
    GpuFramePath path = new GpuFramePath(decoder, kernel);
    try {
      path.selfTest(cpuDecoder, manager);
      return path;
    } catch (GpuUnavailableException | RuntimeException e) {
      if (!kernel.contextWorks()) {
        throw new IllegalStateException("the GPU frame path's test broke the CUDA context on " + device
            + "; set cvat.decoder=cpu (CVAT_DECODER=cpu) to serve without it", e);
      }
      path.close();
      throw e instanceof GpuUnavailableException u ? u
          : new GpuUnavailableException("the GPU path failed its test frames on " + device + ": " + e, e);
    }
  }

  /** nvJPEG's version and decoders: {@code 12.4 (JPEG engine, GPU Huffman, CPU Huffman)}. */
  String nvJpegDescription() {
    return decoder.description();
  }

  /** See {@link GpuJpegDecoder#framesDecoded}. */
  Map<String, Long> framesDecoded() {
    return decoder.framesDecoded();
  }

  /** How the test frames compared with the CPU path's, for the start-up log. */
  String proof() {
    return proof;
  }

  /** The decoders the test frames showed wrong, each with why, for the start-up log. */
  List<String> unusedDecoders() {
    return unusedDecoders;
  }

  /** See {@link GpuJpegDecoder#decode}; on a thread where the device's context is current, as nvJPEG needs. */
  JpegPlanes decode(byte[] jpeg, NDManager manager) throws BadRequestException {
    kernel.makeContextCurrent(); // where it cannot be, nvJPEG fails the frame and says why; the CPU then decodes it
    return decoder.decode(jpeg, manager);
  }

  /** See {@link FrameKernel#toInput}. */
  NDArray toInput(JpegPlanes planes, LetterBox box, NDManager manager) {
    return kernel.toInput(planes, box, manager);
  }

  /**
   * Both paths on small JPEGs made by OpenCV, of each layout the GPU path takes (4:2:0, 4:2:2, 4:4:4, grey, and a
   * progressive one; odd sizes; resized, enlarged and unscaled), each through every nvJPEG decoder that takes it:
   * only decoders that give the CPU path's input serve ({@link DecoderProof}). The kernel repeats libjpeg and OpenCV
   * exactly (shown in every build); the tolerance is for nvJPEG's inverse DCT, which may round a sample differently
   * from libjpeg's here and there. A wrong kernel, argument or plane layout is off by far more, nearly everywhere.
   */
  private void selfTest(FrameDecoder cpuDecoder, NDManager manager) throws GpuUnavailableException {
    DecoderProof shown = new DecoderProof(decoder.decoders());
    for (JpegTestFrames.Frame frame : JpegTestFrames.all()) {
      test(frame, cpuDecoder, manager, shown);
    }
    decoder.retain(shown.proven());
    proof = shown.toString();
    unusedDecoders = shown.unused();
  }

  /** One test frame, letterboxed into its square input, through each decoder that takes it. */
  private void test(JpegTestFrames.Frame frame, FrameDecoder cpuDecoder, NDManager manager, DecoderProof shown)
      throws GpuUnavailableException {
    shown.frame(frame.layout(), !frame.progressive()); // the CPU takes a progressive frame no decoder takes
    try (NDManager test = manager.newSubManager()) {
      LetterBox box = LetterBox.of(JpegTestFrames.WIDTH, JpegTestFrames.HEIGHT, frame.side(), frame.side());
      float[] cpu = FramePreprocessor.cpuInput(cpuDecoder.decodeWithOpenCv(frame.jpeg()), box, test).toFloatArray();
      for (String name : decoder.decoders()) {
        try (JpegPlanes planes = decoder.decodeWith(name, frame.jpeg(), test)) {
          if (planes != null) {
            shown.compare(frame.layout(), name, kernel.toInput(planes, box, test).toFloatArray(), cpu);
          }
        }
      }
    } catch (BadRequestException e) {
      throw new GpuUnavailableException("the " + frame.layout() + " test frame was refused: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    boolean works = kernel.contextWorks();
    kernel.close();
    if (works) { // after a device fault nvJPEG's frees may never return; the process is ending for the fault anyway
      decoder.close();
    }
  }
}
