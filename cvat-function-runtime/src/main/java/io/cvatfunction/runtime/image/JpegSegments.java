package io.cvatfunction.runtime.image;

/**
 * Reads what a JPEG's header segments say about how its pixels must be presented, where nvJPEG and OpenCV
 * would differ: OpenCV (like Ultralytics' cv2) turns the image by its EXIF orientation and honours Adobe's
 * colour-transform flag; nvJPEG does neither. Such frames are left to the CPU decoder.
 */
final class JpegSegments {

  private static final int SOI = 0xd8;
  private static final int SOS = 0xda;
  private static final int EOI = 0xd9;
  private static final int APP1 = 0xe1;
  private static final int APP14 = 0xee;
  private static final int ORIENTATION_TAG = 0x0112;

  private JpegSegments() {}

  /**
   * Why this JPEG must be decoded on the CPU, or {@code null} when nvJPEG gives the same pixels as OpenCV.
   * Only the segments before the first scan are read; a malformed header is left to the decoders to judge.
   */
  static String cpuOnlyReason(byte[] jpeg) {
    if (jpeg.length < 4 || u8(jpeg, 0) != 0xff || u8(jpeg, 1) != SOI) {
      return "not a JPEG";
    }
    int at = 2;
    while (at + 4 <= jpeg.length) {
      if (u8(jpeg, at) != 0xff) {
        return null;
      }
      int marker = u8(jpeg, at + 1);
      if (marker == 0xff) { // fill byte before a marker
        at++;
        continue;
      }
      if (marker == SOS || marker == EOI) {
        return null;
      }
      int length = u16(jpeg, at + 2, true);
      int body = at + 4;
      int end = Math.min(jpeg.length, at + 2 + length);
      if (length < 2) {
        return null;
      }
      if (marker == APP1 && startsWith(jpeg, body, end, "Exif\0\0")) {
        int orientation = orientation(jpeg, body + 6, end);
        if (orientation > 1) {
          return "EXIF orientation " + orientation;
        }
      } else if (marker == APP14 && startsWith(jpeg, body, end, "Adobe") && body + 11 < end
          && u8(jpeg, body + 11) == 0) {
        return "RGB samples (Adobe colour transform 0)";
      }
      at += 2 + length;
    }
    return null;
  }

  /** The orientation tag of IFD0 in the TIFF structure at {@code tiff}, or 1 (upright) when absent. */
  private static int orientation(byte[] b, int tiff, int end) {
    if (tiff + 8 > end) {
      return 1;
    }
    boolean bigEndian = b[tiff] == 'M';
    long ifd = tiff + u32(b, tiff + 4, bigEndian);
    if (ifd + 2 > end) {
      return 1;
    }
    int entries = u16(b, (int) ifd, bigEndian);
    for (int i = 0; i < entries; i++) {
      int entry = (int) ifd + 2 + 12 * i;
      if (entry + 12 > end) {
        return 1;
      }
      if (u16(b, entry, bigEndian) == ORIENTATION_TAG) {
        return u16(b, entry + 8, bigEndian);
      }
    }
    return 1;
  }

  private static boolean startsWith(byte[] b, int at, int end, String prefix) {
    if (at + prefix.length() > end) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (b[at + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int u8(byte[] b, int at) {
    return b[at] & 0xff;
  }

  private static int u16(byte[] b, int at, boolean bigEndian) {
    return bigEndian ? u8(b, at) << 8 | u8(b, at + 1) : u8(b, at + 1) << 8 | u8(b, at);
  }

  private static long u32(byte[] b, int at, boolean bigEndian) {
    return bigEndian
        ? (long) u16(b, at, true) << 16 | u16(b, at + 2, true)
        : (long) u16(b, at + 2, false) << 16 | u16(b, at, false);
  }
}
