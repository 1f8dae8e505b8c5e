package io.cvatfunction.runtime.image;

import ai.djl.ndarray.NDManager;
import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.RequestTrace.Stage;
import java.util.Map;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * A classify model's input, as Ultralytics' {@code ClassificationPredictor} makes it: the frame decoded as OpenCV
 * does (BGR, as {@code cv2.imread}; {@link FrameDecoder}), resized by Pillow's antialiasing bilinear filter so that its shorter side is the
 * input's size, centre-cropped to a square ({@link CenterCrop}), RGB, /255. Ultralytics predicts a TorchScript
 * classifier at 640 unless told otherwise; this input takes the size the model was exported for (its {@code imgsz}),
 * which is what the model was trained on. The frame is decoded on the CPU, on a GPU too: the resize runs on the
 * small window the crop keeps, and the input that crosses to the device is {@code size × size} bytes.
 */
public final class ClassifierInput implements FrameInput {

  private final FrameDecoder decoder;
  private final int size;

  /**
   * @param size the model input's width and height ({@code imgsz})
   */
  public ClassifierInput(FrameDecoder decoder, int size) {
    this.decoder = decoder;
    this.size = size;
  }

  @Override
  public String decoder() {
    return decoder.description();
  }

  @Override
  public Map<String, Long> framesDecoded() {
    return decoder.framesDecoded();
  }

  @Override
  public ModelInput prepare(byte[] encoded, NDManager manager, RequestTrace trace) throws BadRequestException {
    Mat bgr = decoder.decode(encoded);
    trace.lap(Stage.DECODE);
    byte[] pixels;
    CenterCrop crop;
    try {
      crop = CenterCrop.of(bgr.cols(), bgr.rows(), size);
      pixels = new byte[(int) bgr.total() * bgr.channels()];
      bgr.get(0, 0, pixels);
    } finally {
      bgr.release();
    }
    byte[] window = PillowBilinear.resizeWindow(pixels, crop.srcWidth(), crop.srcHeight(), 3, crop.resizedWidth(),
        crop.resizedHeight(), crop.left(), crop.top(), size, size);
    Mat input = new Mat(size, size, CvType.CV_8UC3);
    try {
      input.put(0, 0, window);
      ModelInput prepared = new ModelInput(FramePreprocessor.upload(manager, input), crop);
      trace.lap(Stage.LETTERBOX);
      return prepared;
    } finally {
      input.release();
    }
  }

  @Override
  public void close() {}
}
