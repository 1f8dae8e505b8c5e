package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.FormatFrames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The header readers: the size each format declares, read without decoding, and files they refuse. */
class FrameHeaderTest {

  private static FrameHeader header(byte[] bytes) throws BadRequestException {
    return FrameHeader.read(bytes);
  }

  private static void assertRefused(byte[] bytes, String expected) {
    BadRequestException e = assertThrows(BadRequestException.class, () -> FrameHeader.read(bytes));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  /** The offset of the first marker {@code 0xFF code} after SOI. */
  private static int marker(byte[] jpeg, int code) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == code) {
        return i;
      }
    }
    throw new IllegalArgumentException("no marker " + Integer.toHexString(code));
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  @Test
  void jpegSizeComesFromTheFirstFrameHeaderOfAnyKind() throws BadRequestException {
    byte[] baseline = FormatFrames.jpeg();
    byte[] progressive = FormatFrames.jpegProgressive();
    assertTrue(marker(baseline, 0xc0) > 0 && marker(progressive, 0xc2) > 0, "SOF0 and SOF2 (progressive)");
    assertTrue(Arrays.stream(new int[] {0xc0, 0xc1}).noneMatch(code -> {
      try {
        return marker(progressive, code) > 0;
      } catch (IllegalArgumentException none) {
        return false;
      }
    }), "the progressive file has no baseline frame header");
    FrameHeader expected = new FrameHeader(FrameFormat.JPEG, 960, 540);
    assertEquals(expected, header(baseline));
    assertEquals(expected, header(progressive));
    assertEquals(expected, header(FormatFrames.jpegCmyk()));
    assertEquals(expected, header(FormatFrames.jpegWithTrailer()));
    byte[] restarts = FormatFrames.jpegWithRestarts();
    assertTrue(marker(restarts, 0xd0) > marker(restarts, 0xda), "restart markers inside the scan");
    assertEquals(expected, header(restarts));
    assertEquals(new FrameHeader(FrameFormat.JPEG, 1920, 1080), header(Fixtures.frame("000.jpg")));
    assertEquals(new FrameHeader(FrameFormat.JPEG, 1080, 1920), header(Fixtures.frame("009.jpg")));
  }

  /** A progressive JPEG's scans are counted before it is decoded: past the limit it is refused with 413. */
  @Test
  void aJpegOfTooManyScansIsRefusedBeforeDecoding() throws BadRequestException {
    byte[] progressive = FormatFrames.jpegProgressive();
    int lastScan = lastMarker(progressive, 0xda);
    int end = progressive.length - 2; // EOI
    int scans = countMarkers(progressive, 0xda);
    assertTrue(scans > 1 && scans < JpegStructure.MAX_SCANS, scans + " scans");
    assertEquals(new FrameHeader(FrameFormat.JPEG, 960, 540),
        header(repeatLastScan(progressive, lastScan, end, JpegStructure.MAX_SCANS - scans)), "at the limit");
    byte[] tooMany = repeatLastScan(progressive, lastScan, end, JpegStructure.MAX_SCANS - scans + 1);
    BadRequestException e = assertThrows(BadRequestException.class, () -> FrameHeader.read(tooMany));
    assertEquals(413, e.status());
    assertTrue(e.getMessage().contains("a JPEG of more than 100 scans, each a pass over the whole frame (at most 100"),
        e.getMessage());
  }

  /** A large frame may have fewer scans: each is a pass over more pixels. */
  @Test
  void aLargeJpegMayHaveFewerScans() throws BadRequestException {
    assertEquals(100, JpegStructure.maxScans(1920 * 1080));
    assertEquals(60, JpegStructure.maxScans(3840 * 2160));
    assertEquals(20, JpegStructure.maxScans(5000 * 5000));
    assertEquals(16, JpegStructure.maxScans(10000 * 10000), "never fewer than encoders write");
    byte[] progressive = FormatFrames.jpegProgressive();
    int sof = marker(progressive, 0xc2);
    byte[] large = progressive.clone(); // the same scans, its frame header saying 5000 × 5000
    large[sof + 5] = (byte) (5000 >> 8);
    large[sof + 6] = (byte) 5000;
    large[sof + 7] = (byte) (5000 >> 8);
    large[sof + 8] = (byte) 5000;
    int lastScan = lastMarker(large, 0xda);
    int end = large.length - 2;
    int scans = countMarkers(large, 0xda);
    assertEquals(new FrameHeader(FrameFormat.JPEG, 5000, 5000), header(repeatLastScan(large, lastScan, end, 20 - scans)));
    BadRequestException e = assertThrows(BadRequestException.class,
        () -> FrameHeader.read(repeatLastScan(large, lastScan, end, 21 - scans)));
    assertEquals(413, e.status());
    assertTrue(e.getMessage().contains("a JPEG of more than 20 scans, each a pass over the whole frame (at most 100, and"
        + " at most 500000000 scans × pixels but always 16): re-encode"), e.getMessage());
  }

  /** The JPEG with its last scan written {@code extra} more times before its end marker. */
  private static byte[] repeatLastScan(byte[] jpeg, int scan, int end, int extra) {
    byte[] out = new byte[jpeg.length + extra * (end - scan)];
    System.arraycopy(jpeg, 0, out, 0, end);
    for (int i = 0; i < extra; i++) {
      System.arraycopy(jpeg, scan, out, end + i * (end - scan), end - scan);
    }
    System.arraycopy(jpeg, end, out, out.length - 2, 2);
    return out;
  }

  private static int lastMarker(byte[] jpeg, int code) {
    int last = -1;
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == code) {
        last = i;
      }
    }
    return last;
  }

  private static int countMarkers(byte[] jpeg, int code) {
    int count = 0;
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == code) {
        count++;
      }
    }
    return count;
  }

  @Test
  void jpegIsCompleteOnlyWhenItsWalkReachesTheEndMarker() throws BadRequestException {
    byte[] jpeg = FormatFrames.jpeg();
    int scan = marker(jpeg, 0xda);
    for (int cut : new int[] {3, 20, scan, scan + 10, jpeg.length / 2, jpeg.length - 2, jpeg.length - 1}) {
      assertRefused(Arrays.copyOf(jpeg, cut), "is a truncated JPEG (its end marker is missing)");
    }
    // Bytes after the end marker, a second JPEG among them, are fine.
    assertEquals(new FrameHeader(FrameFormat.JPEG, 960, 540), header(concat(jpeg, FormatFrames.jpeg())));
  }

  @Test
  void jpegWithoutAFrameHeaderOrOverLibjpegsSideLimitIsRefused() {
    byte[] jpeg = FormatFrames.jpeg();
    byte[] noFrame = jpeg.clone();
    noFrame[marker(jpeg, 0xc0) + 1] = (byte) 0xfe; // SOF0 becomes a comment (COM)
    assertRefused(noFrame, "a scan before the frame header (SOFn)");
    byte[] onlyMarkers = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xfe, 0, 4, 'h', 'i', (byte) 0xff, (byte) 0xd9};
    assertRefused(onlyMarkers, "it ends before a frame header (SOFn)");
    byte[] wide = jpeg.clone();
    int sof = marker(jpeg, 0xc0);
    wide[sof + 7] = (byte) 0xff; // width 65535
    wide[sof + 8] = (byte) 0xff;
    assertRefused(wide, "65535x540 has a side over libjpeg's limit of 65500");
  }

  @Test
  void pngSizeComesFromIhdrAndItsChunksMustReachIend() throws Exception {
    byte[] png = FormatFrames.png();
    assertEquals(new FrameHeader(FrameFormat.PNG, 960, 540), header(png));
    assertEquals(new FrameHeader(FrameFormat.PNG, 960, 540), header(concat(png, "trailing".getBytes())));
    assertEquals(new FrameHeader(FrameFormat.PNG, 100_000, 70_000), header(Fixtures.pngDeclaring(100_000, 70_000)));
    assertEquals(new FrameHeader(FrameFormat.PNG, -1, 100), header(Fixtures.pngDeclaring(-1, 100)),
        "over 2^31 - 1 shows as negative, refused as an empty size");
    for (int cut : new int[] {9, 20, 40, png.length / 2, png.length - 12, png.length - 1}) {
      assertRefused(Arrays.copyOf(png, cut), "is a truncated PNG (its IEND chunk is missing)");
    }
    byte[] noIhdr = png.clone();
    noIhdr[12] = 'X';
    assertRefused(noIhdr, "the first chunk is not a 13-byte IHDR");
  }

  /** A metadata chunk over libpng's limit is refused before decoding, saying what it is; at the limit it passes. */
  @Test
  void aPngChunkOverLibpngsLimitIsRefusedSayingWhatItIs() throws Exception {
    byte[] png = FormatFrames.png();
    assertEquals(new FrameHeader(FrameFormat.PNG, 960, 540),
        header(withTextChunk(png, (int) FrameFormat.LIBPNG_CHUNK_LIMIT)));
    assertRefused(withTextChunk(png, (int) FrameFormat.LIBPNG_CHUNK_LIMIT + 1), "is a PNG with a chunk of 8000001 bytes"
        + " (tEXt), over libpng's limit of 8000000 bytes for a chunk other than pixels: save the frame again without"
        + " its metadata");
  }

  /** The PNG with a tEXt chunk of {@code length} bytes after its IHDR (the CRC is not checked before decoding). */
  private static byte[] withTextChunk(byte[] png, int length) {
    int afterIhdr = 8 + 12 + 13;
    byte[] out = new byte[png.length + 12 + length];
    System.arraycopy(png, 0, out, 0, afterIhdr);
    java.nio.ByteBuffer.wrap(out, afterIhdr, 8).putInt(length).put("tEXt".getBytes(StandardCharsets.US_ASCII));
    System.arraycopy(png, afterIhdr, out, afterIhdr + 12 + length, png.length - afterIhdr);
    return out;
  }

  /** A TIFF whose tiles are larger than its frame is refused before decoding; a frame's last tiles may overhang. */
  @Test
  void aTiffInTilesLargerThanItsFrameIsRefused() throws BadRequestException {
    assertEquals(new FrameHeader(FrameFormat.TIFF, 100, 40), header(tiledTiff(100, 40, 112, 48)), "rounded up to 16");
    assertEquals(new FrameHeader(FrameFormat.TIFF, 960, 540), header(tiledTiff(960, 540, 256, 256)));
    BadRequestException e = assertThrows(BadRequestException.class, () -> FrameHeader.read(tiledTiff(16, 16, 65_520,
        65_520)));
    assertEquals(413, e.status());
    assertTrue(e.getMessage().contains("is a 16x16 TIFF in tiles of 65520x65520, larger than the frame"),
        e.getMessage());
    assertThrows(BadRequestException.class, () -> FrameHeader.read(tiledTiff(100, 40, 128, 48)));
  }

  /** A little-endian TIFF header and first directory of a tiled frame (no pixel data: the header is all that is read). */
  private static byte[] tiledTiff(int width, int height, int tileWidth, int tileLength) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 4 * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
    tiff.put("II*\0".getBytes(StandardCharsets.US_ASCII)).putInt(8).putShort((short) 4);
    int[][] entries = {{256, width}, {257, height}, {322, tileWidth}, {323, tileLength}};
    for (int[] entry : entries) {
      tiff.putShort((short) entry[0]).putShort((short) 4).putInt(1).putInt(entry[1]); // LONG, one value
    }
    return tiff.putInt(0).array();
  }

  @Test
  void bmpSizeFromEveryHeaderKindAndTopDownRows() throws BadRequestException {
    assertEquals(new FrameHeader(FrameFormat.BMP, 960, 540), header(FormatFrames.bmp()));
    byte[] topDown = FormatFrames.bmpTopDown();
    assertEquals(-540, ByteBuffer.wrap(topDown).order(ByteOrder.LITTLE_ENDIAN).getInt(22));
    assertEquals(new FrameHeader(FrameFormat.BMP, 960, 540), header(topDown));
    ByteBuffer core = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN); // an OS/2 core header
    core.put((byte) 'B').put((byte) 'M').putInt(26).putInt(0).putInt(26).putInt(12);
    core.putShort((short) 40_000).putShort((short) 30_000).putShort((short) 1).putShort((short) 24);
    assertEquals(new FrameHeader(FrameFormat.BMP, 40_000, 30_000), header(core.array()));

    byte[] odd = FormatFrames.bmp();
    odd[14] = 20;
    assertRefused(odd, "its DIB header size 20 is none of 12, 40, 52, 56, 64, 108 or 124");
    byte[] planes = FormatFrames.bmp();
    planes[26] = 2;
    assertRefused(planes, "2 planes of 24 bits per pixel");
    assertRefused(Arrays.copyOf(FormatFrames.bmp(), 24), "is a truncated BMP (its header is cut short)");
  }

  @Test
  void tiffSizeFromTheFirstDirectoryInBothByteOrders() throws BadRequestException {
    byte[] little = FormatFrames.tiff();
    byte[] big = FormatFrames.tiffBigEndian();
    assertEquals("II", new String(little, 0, 2));
    assertEquals("MM", new String(big, 0, 2));
    assertEquals(new FrameHeader(FrameFormat.TIFF, 960, 540), header(little));
    assertEquals(new FrameHeader(FrameFormat.TIFF, 960, 540), header(big));

    byte[] noWidth = big.clone();
    noWidth[11] = 1; // the first entry's tag 256 (ImageWidth) becomes 257
    assertRefused(noWidth, "its first directory has no ImageWidth or no ImageLength");
    byte[] rational = big.clone();
    rational[13] = 5; // ImageWidth's type SHORT becomes RATIONAL
    assertRefused(rational, "tag 256 has type 5, neither SHORT nor LONG");
    byte[] farDirectory = big.clone();
    farDirectory[4] = 0x7f; // the first directory 2 GB away
    assertRefused(farDirectory, "is a truncated TIFF (its header is cut short)");
  }

  @Test
  void webpSizeFromVp8Vp8lAndVp8x() throws BadRequestException {
    byte[] lossy = FormatFrames.webpLossy();
    byte[] lossless = FormatFrames.webpLossless();
    byte[] extended = FormatFrames.webpExtended();
    assertEquals("VP8 ", new String(lossy, 12, 4));
    assertEquals("VP8L", new String(lossless, 12, 4));
    assertEquals("VP8X", new String(extended, 12, 4));
    for (byte[] webp : new byte[][] {lossy, lossless, extended}) {
      assertEquals(new FrameHeader(FrameFormat.WEBP, 960, 540), header(webp));
    }
    byte[] noStartCode = lossy.clone();
    noStartCode[23] = 0;
    assertRefused(noStartCode, "its VP8 frame has no key-frame start code");
    byte[] animation = extended.clone();
    System.arraycopy("ANIM".getBytes(), 0, animation, 12, 4);
    assertRefused(animation, "its first chunk is none of VP8, VP8L or VP8X");
  }

  @Test
  void otherFilesAreRefusedNamingTheFormatsAccepted() {
    assertRefused("GIF89a....".getBytes(), "\"image\" is not a JPEG, PNG, BMP, TIFF or WebP file (its first bytes are"
        + " 47 49 46 38): CVAT functions take the frame file's bytes, base64-encoded");
    assertRefused(new byte[] {(byte) 0xff, (byte) 0xd8}, "is not a JPEG, PNG, BMP, TIFF or WebP file");
    assertRefused("RIFF\0\0\0\0WAVEfmt ".getBytes(), "is not a JPEG, PNG, BMP, TIFF or WebP file");
    assertTrue(FrameDecoder.isJpeg(FormatFrames.jpegCmyk()));
    assertTrue(!FrameDecoder.isJpeg(FormatFrames.png()) && !FrameDecoder.isJpeg(new byte[] {(byte) 0xff, (byte) 0xd8}));
  }
}
