package io.cvatfunction.runtime.image;

import io.cvatfunction.runtime.BadRequestException;

/**
 * What a frame file declares before its pixels: its format and size, read from the header bytes alone so
 * that a decompression bomb is refused before a single pixel is decoded.
 *
 * @param format the file's format, known by its magic bytes
 * @param width the declared width in pixels
 * @param height the declared height in pixels
 */
record FrameHeader(FrameFormat format, long width, long height) {

  /**
   * Reads the header of a frame file.
   *
   * @throws BadRequestException when the format is not one OpenCV decodes for us, or the file is cut short or
   *     breaks its format's rules where the header reader looks
   */
  static FrameHeader read(byte[] encoded) throws BadRequestException {
    FrameFormat format = FrameFormat.sniff(encoded);
    return format.readHeader(new HeaderBytes(encoded, format));
  }
}
