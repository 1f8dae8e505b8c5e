package io.cvatfunction.runtime.image;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import io.cvatfunction.runtime.BadRequestException;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Reads what a JPEG's header segments say about how its pixels must be presented, where OpenCV and the faster
 * decoders would differ: OpenCV (like Ultralytics' cv2) turns the image by its EXIF orientation, honours Adobe's
 * colour-transform flag, takes components named R, G, B as RGB and converts CMYK its own way. nvJPEG with the frame
 * kernel does none of it; libjpeg-turbo through Leptonica does the colour rules as OpenCV (the same libjpeg logic)
 * but not the orientation or CMYK. One rule serves both, so rare frames (RGB ids, Adobe's flag) stay with OpenCV for
 * either; so do rare coding processes, precisions and subsamplings, which neither has been shown to decode as OpenCV
 * does.
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
   * Why only OpenCV presents this JPEG as Ultralytics sees it, or {@code null} for a plain one: 8-bit grey samples, or
   * YCbCr in 4:4:4, 4:2:2 or 4:2:0; Huffman-coded, baseline or extended (or progressive, when {@code progressive});
   * upright. Only the segments before the first scan are read.
   *
   * @param progressive whether the other decoder takes progressive frames as OpenCV decodes them
   */
  static String openCvOnlyReason(byte[] jpeg, boolean progressive) {
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
        } else if (JpegStructure.startsFrame(marker)) {
          int precision = in.u8(body);
          int components = in.u8(body + 5);
          if (marker > SOF2) {
            return "coding process SOF" + (marker - SOF0) + " (lossless, hierarchical or arithmetic)";
          } else if (marker == SOF2 && !progressive) {
            return "progressive";
          } else if (precision != 8) {
            return precision + "-bit samples";
          } else if (components != 1 && components != 3) {
            return components + " components (CMYK or YCCK)";
          } else if (components == 3 && !commonSubsampling(in.u8(body + 7), in.u8(body + 10), in.u8(body + 13))) {
            return String.format(Locale.ROOT, "sampling factors %02x, %02x, %02x", in.u8(body + 7), in.u8(body + 10),
                in.u8(body + 13));
          }
          rgbIds = components == 3 && in.u8(body + 6) == 'R' && in.u8(body + 9) == 'G' && in.u8(body + 12) == 'B';
        }
        at += 2 + length;
      }
    } catch (BadRequestException unreadable) {
      return "a header segment that cannot be read: " + unreadable.getMessage();
    }
  }

  /** Luma's sampling factors of 4:4:4, 4:2:2 or 4:2:0, and chroma's 1×1: the layouts the other decoders are shown. */
  private static boolean commonSubsampling(int luma, int cb, int cr) {
    return (luma == 0x11 || luma == 0x21 || luma == 0x22) && cb == 0x11 && cr == 0x11;
  }

  /**
   * The orientation tag of IFD0 in the TIFF structure at {@code tiff}, or 1 (upright) when absent — or unreadable, as
   * OpenCV's EXIF reader takes it then.
   */
  private static int orientation(HeaderBytes in, long tiff) {
    try {
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
    } catch (BadRequestException unreadable) {
      return 1;
    }
  }
}
