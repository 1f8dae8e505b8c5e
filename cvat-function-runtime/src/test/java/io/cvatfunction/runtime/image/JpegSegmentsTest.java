package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.BadRequestException;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/** Which JPEGs the faster decoders leave to OpenCV, on JPEGs made here with the segments in question. */
class JpegSegmentsTest {

  static {
    OpenCv.load();
  }

  @Test
  void aPlainJpegGoesToTheFasterDecoders() {
    assertNull(JpegSegments.openCvOnlyReason(jpeg(64, 32), true));
    assertNull(JpegSegments.openCvOnlyReason(withSegment(jpeg(64, 32), exif(1, false)), true), "upright");
  }

  @Test
  void aRotatedJpegStaysWithOpenCvWhichTurnsIt() throws BadRequestException {
    byte[] rotated = withSegment(jpeg(64, 32), exif(6, false));
    assertEquals("EXIF orientation 6", JpegSegments.openCvOnlyReason(rotated, true));
    assertEquals("EXIF orientation 8", JpegSegments.openCvOnlyReason(withSegment(jpeg(64, 32), exif(8, true)), true),
        "big-endian EXIF");
    Mat turned = new FrameDecoder(1_000_000).decode(rotated);
    try {
      assertEquals(32, turned.cols(), "OpenCV applies the orientation, as cv2 does for Ultralytics");
      assertEquals(64, turned.rows());
    } finally {
      turned.release();
    }
  }

  @Test
  void rgbSamplesStayWithOpenCv() {
    byte[] adobe = {(byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
    assertEquals("RGB samples (Adobe colour transform 0)",
        JpegSegments.openCvOnlyReason(withSegment(jpeg(8, 8), adobe), true));
    adobe[15] = 1; // YCbCr
    assertNull(JpegSegments.openCvOnlyReason(withSegment(jpeg(8, 8), adobe), true));
  }

  @Test
  void componentsNamedRgbWithoutJfifStayWithOpenCv() {
    byte[] named = withComponentIds(jpeg(8, 8), 'R', 'G', 'B');
    assertNull(JpegSegments.openCvOnlyReason(named, true), "JFIF says YCbCr whatever the ids");
    assertEquals("RGB samples (component ids R, G, B)", JpegSegments.openCvOnlyReason(withoutJfif(named), true));
    assertNull(JpegSegments.openCvOnlyReason(withoutJfif(jpeg(8, 8)), true), "ids 1, 2, 3 mean YCbCr");
  }

  @Test
  void rareCodingProcessesPrecisionsAndComponentCountsStayWithOpenCv() {
    byte[] plain = jpeg(8, 8);
    int sof = indexOfMarker(plain, 0xc0);
    byte[] extended = plain.clone();
    extended[sof + 1] = (byte) 0xc1;
    assertNull(JpegSegments.openCvOnlyReason(extended, true), "extended sequential, 8-bit: as baseline");
    byte[] arithmetic = plain.clone();
    arithmetic[sof + 1] = (byte) 0xc9;
    assertEquals("coding process SOF9 (lossless, hierarchical or arithmetic)", JpegSegments.openCvOnlyReason(
        arithmetic, true));
    byte[] twelveBit = plain.clone();
    twelveBit[sof + 4] = 12;
    assertEquals("12-bit samples", JpegSegments.openCvOnlyReason(twelveBit, true));
    byte[] fourComponents = plain.clone();
    fourComponents[sof + 9] = 4; // only the count: the header is read no further
    assertEquals("4 components (CMYK or YCCK)", JpegSegments.openCvOnlyReason(fourComponents, true));
  }

  private static int indexOfMarker(byte[] jpeg, int marker) {
    for (int at = 2; at + 1 < jpeg.length; at++) {
      if ((jpeg[at] & 0xff) == 0xff && (jpeg[at + 1] & 0xff) == marker) {
        return at;
      }
    }
    throw new AssertionError("no marker " + Integer.toHexString(marker));
  }

  @Test
  void aHeaderCutShortOrNotAJpegIsLeftToOpenCv() {
    byte[] rotated = withSegment(jpeg(64, 32), exif(6, false));
    assertTrue(JpegSegments.openCvOnlyReason(java.util.Arrays.copyOf(rotated, 12), true)
        .startsWith("a header segment that cannot be read"));
    assertEquals("not a JPEG", JpegSegments.openCvOnlyReason(new byte[] {1, 2, 3, 4}, true));
  }

  /** OpenCV reads an EXIF segment it cannot parse as upright: so does the rule, and the frame header is still read. */
  @Test
  void anExifThatCannotBeReadIsUprightAndTheFrameHeaderStillCounts() {
    byte[] broken = exif(6, false);
    broken[17] = 0x7f; // the high byte of IFD0's offset (little-endian): far past the end of the file
    assertNull(JpegSegments.openCvOnlyReason(withSegment(jpeg(8, 8), broken), true));
    byte[] fourComponents = jpeg(8, 8);
    fourComponents[indexOfMarker(fourComponents, 0xc0) + 9] = 4;
    assertEquals("4 components (CMYK or YCCK)", JpegSegments.openCvOnlyReason(withSegment(fourComponents, broken),
        true));
  }

  @Test
  void progressiveFramesGoOnlyToADecoderThatTakesThem() {
    byte[] progressive = jpeg(8, 8);
    progressive[indexOfMarker(progressive, 0xc0) + 1] = (byte) 0xc2;
    assertNull(JpegSegments.openCvOnlyReason(progressive, true));
    assertEquals("progressive", JpegSegments.openCvOnlyReason(progressive, false));
  }

  @Test
  void onlyTheCommonChromaSubsamplingsGoElsewhere() {
    byte[] frame = jpeg(8, 8); // 4:2:0: luma 2×2, chroma 1×1
    int sof = indexOfMarker(frame, 0xc0);
    assertEquals(0x22, frame[sof + 11] & 0xff, "luma's sampling factors");
    for (int luma : new int[] {0x11, 0x21, 0x22}) {
      frame[sof + 11] = (byte) luma;
      assertNull(JpegSegments.openCvOnlyReason(frame, false), Integer.toHexString(luma));
    }
    frame[sof + 11] = 0x12; // 4:4:0
    assertEquals("sampling factors 12, 11, 11", JpegSegments.openCvOnlyReason(frame, false));
    frame[sof + 11] = 0x41; // 4:1:1
    assertEquals("sampling factors 41, 11, 11", JpegSegments.openCvOnlyReason(frame, false));
  }

  /** The JPEG without its APP0 JFIF segment (OpenCV writes one right after SOI). */
  private static byte[] withoutJfif(byte[] jpeg) {
    assertEquals(0xe0, jpeg[3] & 0xff, "APP0 after SOI");
    int length = ((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(jpeg, 4 + length, jpeg.length - 4 - length);
    return out.toByteArray();
  }

  /** The JPEG with its three components renamed in the baseline frame header (SOF0). */
  private static byte[] withComponentIds(byte[] jpeg, int first, int second, int third) {
    byte[] renamed = jpeg.clone();
    for (int at = 2; at + 1 < renamed.length; at++) {
      if ((renamed[at] & 0xff) == 0xff && (renamed[at + 1] & 0xff) == 0xc0) {
        assertEquals(3, renamed[at + 9], "three components");
        renamed[at + 10] = (byte) first;
        renamed[at + 13] = (byte) second;
        renamed[at + 16] = (byte) third;
        return renamed;
      }
    }
    throw new AssertionError("no SOF0 in the JPEG");
  }

  private static byte[] jpeg(int width, int height) {
    Mat image = new Mat(height, width, CvType.CV_8UC3, new Scalar(30, 90, 200));
    image.submat(0, height / 2, 0, width / 2).setTo(new Scalar(250, 250, 250)); // a corner to see turns by
    MatOfByte out = new MatOfByte();
    try {
      Imgcodecs.imencode(".jpg", image, out);
      return out.toArray();
    } finally {
      image.release();
      out.release();
    }
  }

  /** An APP1 Exif segment whose IFD0 holds only the orientation tag. */
  static byte[] exif(int orientation, boolean bigEndian) {
    ByteArrayOutputStream tiff = new ByteArrayOutputStream();
    tiff.writeBytes(bigEndian ? new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8} : new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0});
    tiff.writeBytes(u16(1, bigEndian));
    tiff.writeBytes(u16(0x0112, bigEndian));
    tiff.writeBytes(u16(3, bigEndian)); // SHORT
    tiff.writeBytes(bigEndian ? new byte[] {0, 0, 0, 1} : new byte[] {1, 0, 0, 0});
    tiff.writeBytes(u16(orientation, bigEndian));
    tiff.writeBytes(new byte[] {0, 0, 0, 0, 0, 0}); // value padding, next IFD offset 0
    byte[] body = tiff.toByteArray();
    ByteArrayOutputStream segment = new ByteArrayOutputStream();
    segment.writeBytes(new byte[] {(byte) 0xff, (byte) 0xe1});
    segment.writeBytes(u16(2 + 6 + body.length, true));
    segment.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    segment.writeBytes(body);
    return segment.toByteArray();
  }

  private static byte[] u16(int value, boolean bigEndian) {
    return bigEndian ? new byte[] {(byte) (value >> 8), (byte) value} : new byte[] {(byte) value, (byte) (value >> 8)};
  }

  /** The JPEG with {@code segment} right after its start marker. */
  static byte[] withSegment(byte[] jpeg, byte[] segment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.writeBytes(segment);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
