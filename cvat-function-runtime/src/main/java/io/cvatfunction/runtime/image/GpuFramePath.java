package io.cvatfunction.runtime.image;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cvatfunction.runtime.BadRequestException;
import java.util.List;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

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

  /** See {@link GpuJpegDecoder#decode}. */
  JpegPlanes decode(byte[] jpeg, NDManager manager) throws BadRequestException {
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
    Mat bgr = new Mat(91, 121, CvType.CV_8UC3);
    Core.randu(bgr, 0, 256);
    Imgproc.GaussianBlur(bgr, bgr, new Size(9, 9), 3); // soft colour edges, where chroma upsampling shows
    Mat grey = new Mat();
    Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
    try {
      DecoderProof shown = new DecoderProof(decoder.decoders());
      test("4:2:0", encode(bgr, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420, false), 64, cpuDecoder, manager, shown);
      test("4:2:2", encode(bgr, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422, false), 64, cpuDecoder, manager, shown);
      test("4:4:4", encode(bgr, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444, false), 160, cpuDecoder, manager, shown);
      test("grey", encode(grey, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420, false), 121, cpuDecoder, manager, shown);
      test("progressive 4:2:0", encode(bgr, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420, true), 64, cpuDecoder,
          manager, shown);
      decoder.retain(shown.proven());
      proof = shown.toString();
      unusedDecoders = shown.unused();
    } finally {
      bgr.release();
      grey.release();
    }
  }

  /** One test frame, letterboxed into a square input of {@code side}, through each decoder that takes it. */
  private void test(String layout, byte[] jpeg, int side, FrameDecoder cpuDecoder, NDManager manager,
      DecoderProof shown) throws GpuUnavailableException {
    shown.frame(layout, !layout.startsWith("progressive")); // the CPU takes a progressive frame no decoder takes
    try (NDManager test = manager.newSubManager()) {
      LetterBox box = LetterBox.of(121, 91, side, side);
      float[] cpu = FramePreprocessor.cpuInput(cpuDecoder.decode(jpeg), box, test).toFloatArray();
      for (String name : decoder.decoders()) {
        try (JpegPlanes planes = decoder.decodeWith(name, jpeg, test)) {
          if (planes != null) {
            shown.compare(layout, name, kernel.toInput(planes, box, test).toFloatArray(), cpu);
          }
        }
      }
    } catch (BadRequestException e) {
      throw new GpuUnavailableException("the " + layout + " test frame was refused: " + e.getMessage(), e);
    }
  }

  private static byte[] encode(Mat frame, int samplingFactor, boolean progressive) {
    MatOfByte encoded = new MatOfByte();
    try {
      Imgcodecs.imencode(".jpg", frame, encoded, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 92,
          Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, samplingFactor, Imgcodecs.IMWRITE_JPEG_PROGRESSIVE,
          progressive ? 1 : 0));
      return encoded.toArray();
    } finally {
      encoded.release();
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
