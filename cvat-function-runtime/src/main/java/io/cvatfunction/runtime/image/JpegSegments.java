package io.cvatfunction.runtime.image;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import io.cvatfunction.runtime.BadRequestException;
import java.nio.ByteOrder;

/**
 * Reads what a JPEG's header segments say about how its pixels must be presented, where OpenCV and the faster
 * decoders (nvJPEG with the frame kernel; libjpeg-turbo's own YCbCr and grey output) would differ: OpenCV (like
 * Ultralytics' cv2) turns the image by its EXIF orientation, honours Adobe's colour-transform flag, takes components
 * named R, G, B as RGB and converts CMYK; the others do none of it. Such frames, and those of a rare coding process
 * or sample precision, are left to OpenCV.
 */
final class JpegSegments {

  private static final int SOF0 = 0xc0;
  private static final int SOF2 = 0xc2;
  private static final int SOS = 0xda;
  private static final int EOI = 0xd9;
  private static final int APP0 = 0xe0;
  private static final int APP1 = 0xe1;
  private static final int APP14 = 0xee;
  private static final int ORIENTATION_TAG = 0x0112;

  private JpegSegments() {}

  /**
   * Why only OpenCV presents this JPEG as Ultralytics sees it, or {@code null} for a plain one: 8-bit YCbCr or grey
   * samples, Huffman-coded baseline, extended or progressive, upright. Only the segments before the first scan are
   * read; a malformed header is left to the decoders to judge.
   */
  static String openCvOnlyReason(byte[] jpeg) {
    HeaderBytes in = new HeaderBytes(jpeg, FrameFormat.JPEG);
    if (!in.startsWith(0xff, 0xd8)) {
      return "not a JPEG";
    }
    try {
      boolean jfif = false;
      boolean adobe = false;
      boolean rgbIds = false;
      long at = 2;
      while (true) {
        at = in.indexOf(0xff, at);
        int marker = in.u8(at + 1);
        if (marker == 0xff) { // fill byte before a marker
          at++;
          continue;
        }
        if (marker == SOS || marker == EOI) {
          // libjpeg's guess when neither JFIF nor Adobe says: component ids 'R', 'G', 'B' mean RGB samples
          return rgbIds && !jfif && !adobe ? "RGB samples (component ids R, G, B)" : null;
        }
        int length = in.u16(at + 2, BIG_ENDIAN);
        long body = at + 4;
        if (marker == APP0 && in.spells(body, "JFIF\0")) {
          jfif = true;
        } else if (marker == APP1 && in.spells(body, "Exif\0\0")) {
          int orientation = orientation(in, body + 6);
          if (orientation > 1) {
            return "EXIF orientation " + orientation;
          }
        } else if (marker == APP14 && in.spells(body, "Adobe")) {
          adobe = true;
          if (in.u8(body + 11) == 0) {
            return "RGB samples (Adobe colour transform 0)";
          }
        } else if (isStartOfFrame(marker)) {
          int precision = in.u8(body);
          int components = in.u8(body + 5);
          if (marker > SOF2) {
            return "coding process SOF" + (marker - SOF0) + " (lossless, hierarchical or arithmetic)";
          } else if (precision != 8) {
            return precision + "-bit samples";
          } else if (components != 1 && components != 3) {
            return components + " components (CMYK or YCCK)";
          }
          rgbIds = components == 3 && in.u8(body + 6) == 'R' && in.u8(body + 9) == 'G' && in.u8(body + 12) == 'B';
        }
        at += 2 + length;
      }
    } catch (BadRequestException malformed) {
      return null; // the CPU decoder's checks, which come first, say what is wrong with it
    }
  }

  /** SOF0–SOF15, less the markers that share their range (DHT, JPG, DAC). */
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
  }

  /** The orientation tag of IFD0 in the TIFF structure at {@code tiff}, or 1 (upright) when absent. */
  private static int orientation(HeaderBytes in, long tiff) throws BadRequestException {
    ByteOrder order = in.u8(tiff) == 'M' ? BIG_ENDIAN : LITTLE_ENDIAN;
    long ifd = tiff + in.u32(tiff + 4, order);
    int entries = in.u16(ifd, order);
    for (int i = 0; i < entries; i++) {
      long entry = ifd + 2 + 12L * i;
      if (in.u16(entry, order) == ORIENTATION_TAG) {
        return in.u16(entry + 8, order);
      }
    }
    return 1;
  }
}
