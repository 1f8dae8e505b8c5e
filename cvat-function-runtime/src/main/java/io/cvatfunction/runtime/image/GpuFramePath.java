package io.cvatfunction.runtime.image;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cvatfunction.runtime.BadRequestException;
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
 * makes the input from them ({@link FrameKernel}). Opened only when it gives the CPU path's input exactly on a
 * test frame.
 */
final class GpuFramePath implements AutoCloseable {

  private final GpuJpegDecoder decoder;
  private final FrameKernel kernel;

  private GpuFramePath(GpuJpegDecoder decoder, FrameKernel kernel) {
    this.decoder = decoder;
    this.kernel = kernel;
  }

  /**
   * Opens nvJPEG and the kernel for {@code device} and proves them on a test frame.
   *
   * @param cpuDecoder the CPU decoder: its checks apply to GPU-decoded frames too, and it decodes the test frame
   * @param manager a manager on {@code device}
   */
  static GpuFramePath open(Device device, FrameDecoder cpuDecoder, NDManager manager) throws GpuUnavailableException {
    GpuJpegDecoder decoder = GpuJpegDecoder.open(device, cpuDecoder, System.getenv("CVAT_NVJPEG_LIBRARY"));
    FrameKernel kernel;
    try {
      kernel = FrameKernel.open(device, System.getenv("CVAT_NVRTC_LIBRARY"));
    } catch (GpuUnavailableException e) {
      decoder.close();
      throw e;
    }
    GpuFramePath path = new GpuFramePath(decoder, kernel);
    try {
      path.selfTest(cpuDecoder, manager);
      return path;
    } catch (GpuUnavailableException | RuntimeException | Error e) {
      path.close();
      throw e instanceof GpuUnavailableException u ? u
          : new GpuUnavailableException("the GPU path failed its test frame on " + device + ": " + e, e);
    }
  }

  String nvJpegVersion() {
    return decoder.version();
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
   * Both paths on small JPEGs made by OpenCV, one of each layout the GPU path takes (4:2:0, 4:2:2, 4:4:4, grey),
   * resized and padded as a frame is: the GPU path serves only when its input has the CPU path's grey levels
   * everywhere. (Levels, not float bits: torch may scale the CPU path's input by a reciprocal on the GPU.)
   */
  private void selfTest(FrameDecoder cpuDecoder, NDManager manager) throws GpuUnavailableException {
    Mat bgr = new Mat(90, 120, CvType.CV_8UC3);
    Core.randu(bgr, 0, 256);
    Imgproc.GaussianBlur(bgr, bgr, new Size(9, 9), 3); // soft colour edges, where chroma upsampling shows
    Mat grey = new Mat();
    Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
    try {
      test("4:2:0", encode(bgr, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420), cpuDecoder, manager);
      test("4:2:2", encode(bgr, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422), cpuDecoder, manager);
      test("4:4:4", encode(bgr, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444), cpuDecoder, manager);
      test("grey", encode(grey, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420), cpuDecoder, manager);
    } finally {
      bgr.release();
      grey.release();
    }
  }

  private void test(String layout, byte[] jpeg, FrameDecoder cpuDecoder, NDManager manager)
      throws GpuUnavailableException {
    try (NDManager test = manager.newSubManager()) {
      LetterBox box = LetterBox.of(120, 90, 64, 64);
      JpegPlanes planes = decoder.decode(jpeg, test);
      if (planes == null) {
        throw new GpuUnavailableException("nvJPEG refused a baseline " + layout + " test frame", null);
      }
      float[] gpu = kernel.toInput(planes, box, test).toFloatArray();
      float[] cpu = FramePreprocessor.cpuInput(cpuDecoder.decode(jpeg), box, test).toFloatArray();
      int differ = 0;
      for (int i = 0; i < gpu.length; i++) {
        differ += Math.round(gpu[i] * 255) == Math.round(cpu[i] * 255) ? 0 : 1;
      }
      if (differ > 0) {
        throw new GpuUnavailableException("the GPU path's input for a " + layout + " test frame differs from OpenCV's"
            + " in " + differ + " of " + gpu.length + " values", null);
      }
    } catch (BadRequestException e) {
      throw new GpuUnavailableException("the " + layout + " test frame was refused: " + e.getMessage(), e);
    }
  }

  private static byte[] encode(Mat frame, int samplingFactor) {
    MatOfByte encoded = new MatOfByte();
    try {
      Imgcodecs.imencode(".jpg", frame, encoded, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 92,
          Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, samplingFactor));
      return encoded.toArray();
    } finally {
      encoded.release();
    }
  }

  @Override
  public void close() {
    kernel.close();
    decoder.close();
  }
}
