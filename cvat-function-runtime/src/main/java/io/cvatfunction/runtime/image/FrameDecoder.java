package io.cvatfunction.runtime.image;

import io.cvatfunction.runtime.BadRequestException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Decodes CVAT frames (JPEG or PNG, colour or grey) into BGR pixels with OpenCV, the decoder Ultralytics
 * uses, after checks that keep hostile input out: the format by its magic bytes, a complete file, and the
 * declared size against a pixel limit before a single pixel is decoded.
 */
public final class FrameDecoder {

  static {
    OpenCv.load();
  }

  private final long maxPixels;

  /** A decoder that rejects frames of more than {@code maxPixels} pixels. */
  public FrameDecoder(long maxPixels) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("the pixel limit must be positive, got " + maxPixels);
    }
    this.maxPixels = maxPixels;
  }

  /**
   * Decodes a frame into a 3-channel 8-bit BGR matrix that the caller must {@link Mat#release()}.
   *
   * @throws BadRequestException when the bytes are not a complete JPEG or PNG, or are too large
   */
  public Mat decode(byte[] encoded) throws BadRequestException {
    Format format = Format.sniff(encoded);
    if (!format.isComplete(encoded)) {
      throw new BadRequestException("\"image\" is a truncated " + format.label
          + " (its end marker is missing): send the whole file");
    }
    checkSize(encoded, format);
    MatOfByte buffer = new MatOfByte(encoded);
    try {
      Mat bgr = Imgcodecs.imdecode(buffer, Imgcodecs.IMREAD_COLOR);
      if (bgr.empty()) {
        bgr.release();
        throw new BadRequestException("\"image\" could not be decoded as a " + format.label + ": the file is corrupt");
      }
      return bgr;
    } finally {
      buffer.release();
    }
  }

  /** Whether the bytes start as a JPEG file does. */
  public static boolean isJpeg(byte[] encoded) {
    return encoded.length >= 3 && (encoded[0] & 0xff) == 0xff && (encoded[1] & 0xff) == 0xd8 && (encoded[2] & 0xff) == 0xff;
  }

  /** Refuses (413) a frame of {@code width × height} over the pixel limit, or an empty one (400). */
  public void checkPixels(long width, long height) throws BadRequestException {
    if (width <= 0 || height <= 0) {
      throw new BadRequestException("\"image\" declares an empty size " + width + "x" + height);
    }
    if (width * height > maxPixels) {
      throw new BadRequestException(413, "\"image\" is " + width + "x" + height + " = " + width * height
          + " pixels, over this function's limit of " + maxPixels
          + " (raise it with CVAT_MAX_IMAGE_PIXELS if such frames are expected)");
    }
  }

  /** Reads the width and height from the header only, so a decompression bomb is refused before decoding. */
  private void checkSize(byte[] encoded, Format format) throws BadRequestException {
    long width;
    long height;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName);
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new BadRequestException("\"image\" has an unreadable " + format.label + " header: the file is corrupt");
    }
    checkPixels(width, height);
  }

  /** The formats CVAT sends. */
  private enum Format {
    JPEG("JPEG", "jpeg"),
    PNG("PNG", "png");

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] IEND = {'I', 'E', 'N', 'D'};
    private static final byte[] EOI = {(byte) 0xff, (byte) 0xd9};
    // Encoders may pad after the end marker; a truncated file has no marker near its end at all.
    private static final int END_WINDOW = 64;

    private final String label;
    private final String imageIoName;

    Format(String label, String imageIoName) {
      this.label = label;
      this.imageIoName = imageIoName;
    }

    static Format sniff(byte[] bytes) throws BadRequestException {
      if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
        return JPEG;
      }
      if (startsWith(bytes, PNG_MAGIC)) {
        return PNG;
      }
      throw new BadRequestException("\"image\" is neither a JPEG nor a PNG (its first bytes are "
          + hex(bytes) + "): CVAT functions take the frame file's bytes, base64-encoded");
    }

    boolean isComplete(byte[] bytes) {
      return endsNear(bytes, this == JPEG ? EOI : IEND);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
      if (bytes.length < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (bytes[i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    private static boolean endsNear(byte[] bytes, byte[] marker) {
      int from = Math.max(0, bytes.length - END_WINDOW);
      outer:
      for (int i = bytes.length - marker.length; i >= from; i--) {
        for (int j = 0; j < marker.length; j++) {
          if (bytes[i + j] != marker[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    }

    private static String hex(byte[] bytes) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < Math.min(4, bytes.length); i++) {
        out.append(String.format("%02x ", bytes[i]));
      }
      return out.toString().trim();
    }
  }
}
