package io.cvatfunction.runtime.image;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.cvatfunction.runtime.BadRequestException;

/**
 * Walks a JPEG's marker segments and entropy-coded scans from SOI to EOI, as libjpeg reads them: the size comes
 * from the first frame header (SOFn: baseline, progressive, lossless, arithmetic), and the file is complete only
 * if the walk reaches EOI. libjpeg itself decodes a cut file with a mere warning, filling the rest with grey;
 * bytes after EOI (metadata that cameras and editors append) are not its business, nor ours.
 *
 * <p>Each scan of a progressive JPEG is a pass over the whole frame, so a small file of thousands of scans would hold
 * a worker for minutes: more than {@link #maxScans} scans are refused before decoding — {@link #MAX_SCANS}, fewer for
 * frames so large that they would cost more than {@link #MAX_SCAN_PIXELS} pixel passes, but never fewer than {@link
 * #SCANS_ANY_FRAME_MAY_HAVE}. Encoders write far fewer (libjpeg's progressive script 10, mozjpeg's optimised ones a
 * few more).
 */
final class JpegStructure {

  private static final int SOS = 0xda;
  private static final int EOI = 0xd9;
  // libjpeg's JPEG_MAX_DIMENSION: it refuses larger sides while reading the header.
  private static final int MAX_SIDE = 65_500;
  /** The most scans a JPEG may have. */
  static final int MAX_SCANS = 100;
  /** The most scans × pixels a JPEG may cost: about a second of decoding on one core. */
  static final long MAX_SCAN_PIXELS = 500_000_000L;
  /** The scans a JPEG of any size may have, as encoders write them. */
  static final int SCANS_ANY_FRAME_MAY_HAVE = 16;

  private JpegStructure() {}

  static FrameHeader read(HeaderBytes in) throws BadRequestException {
    FrameHeader frame = null;
    int scans = 0;
    long at = 2; // after SOI
    while (true) {
      at = nextMarker(in, at);
      int marker = in.u8(at + 1);
      at += 2;
      if (marker == EOI) {
        if (frame == null) {
          throw in.corrupt("it ends before a frame header (SOFn)");
        }
        return frame;
      }
      if (standalone(marker)) {
        continue;
      }
      int length = in.u16(at, BIG_ENDIAN);
      if (length < 2) {
        throw in.corrupt("a segment of length " + length);
      }
      if (frame == null && startsFrame(marker)) {
        frame = frameHeader(in, at);
      }
      at += length;
      if (marker == SOS) {
        if (frame == null) {
          throw in.corrupt("a scan before the frame header (SOFn)");
        }
        int limit = maxScans((long) frame.width() * frame.height());
        if (++scans > limit) {
          throw new BadRequestException(413, "\"image\" is a JPEG of more than " + limit + " scans, each a pass"
              + " over the whole frame (at most " + MAX_SCANS + ", and at most " + MAX_SCAN_PIXELS + " scans × pixels"
              + " but always " + SCANS_ANY_FRAME_MAY_HAVE + "): re-encode it (e.g. jpegtran -optimize, or save it again"
              + " as a baseline JPEG)");
        }
        at = endOfScan(in, at);
      }
    }
  }

  /** The most scans a JPEG of {@code pixels} may have. */
  static int maxScans(long pixels) {
    return (int) Math.max(SCANS_ANY_FRAME_MAY_HAVE, Math.min(MAX_SCANS, MAX_SCAN_PIXELS / Math.max(1, pixels)));
  }

  private static FrameHeader frameHeader(HeaderBytes in, long segment) throws BadRequestException {
    int height = in.u16(segment + 3, BIG_ENDIAN);
    int width = in.u16(segment + 5, BIG_ENDIAN);
    if (width > MAX_SIDE || height > MAX_SIDE) {
      throw in.corrupt(width + "x" + height + " has a side over libjpeg's limit of " + MAX_SIDE);
    }
    return new FrameHeader(FrameFormat.JPEG, width, height);
  }

  /** The next 0xFF that starts a marker, skipping fill bytes and stray bytes as libjpeg does (with a warning). */
  private static long nextMarker(HeaderBytes in, long at) throws BadRequestException {
    while (true) {
      at = in.indexOf(0xff, at);
      int next = in.u8(at + 1);
      if (next != 0xff && next != 0x00) {
        return at;
      }
      at++;
    }
  }

  /** Where the entropy-coded data that follows a scan header ends: at a marker other than RSTn or a stuffed 0xFF00. */
  private static long endOfScan(HeaderBytes in, long at) throws BadRequestException {
    while (true) {
      at = nextMarker(in, at);
      int marker = in.u8(at + 1);
      if (marker < 0xd0 || marker > 0xd7) {
        return at;
      }
      at += 2;
    }
  }

  /** TEM and RSTn carry no length. */
  private static boolean standalone(int marker) {
    return marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7);
  }

  /** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
  static boolean startsFrame(int marker) {
    return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
  }
}
