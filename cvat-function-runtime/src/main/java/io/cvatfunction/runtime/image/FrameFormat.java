package io.cvatfunction.runtime.image;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import io.cvatfunction.runtime.BadRequestException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The frame formats CVAT stores and OpenCV decodes, each known by its magic bytes, each with a reader of the
 * size its header declares. Where the decoder would quietly return a partial image from a cut file (libjpeg
 * fills the missing rows with grey), the reader walks the whole structure to its end; the others' decoders
 * fail on a cut file by themselves.
 */
enum FrameFormat {

  JPEG("JPEG", "its end marker is missing") {
    @Override
    boolean sniffs(HeaderBytes in) {
      return in.startsWith(0xff, 0xd8, 0xff);
    }

    @Override
    FrameHeader readHeader(HeaderBytes in) throws BadRequestException {
      return JpegStructure.read(in);
    }
  },

  PNG("PNG", "its IEND chunk is missing") {
    @Override
    boolean sniffs(HeaderBytes in) {
      return in.startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
    }

    /**
     * IHDR comes first; then every chunk's length is followed to IEND. libpng refuses a chunk other than image data
     * (IDAT) of more than {@value FrameFormat#LIBPNG_CHUNK_LIMIT} bytes ({@code PNG_USER_CHUNK_MALLOC_MAX}, metadata such as a
     * huge text chunk): such a file is refused here, saying so, rather than as corrupt after libpng tried.
     */
    @Override
    FrameHeader readHeader(HeaderBytes in) throws BadRequestException {
      if (in.u32(8, BIG_ENDIAN) != 13 || !in.spells(12, "IHDR")) {
        throw in.corrupt("the first chunk is not a 13-byte IHDR");
      }
      // Sizes are at most 2^31 - 1: read as signed, a larger one shows as negative and is refused as such.
      FrameHeader header = new FrameHeader(this, (int) in.u32(16, BIG_ENDIAN), (int) in.u32(20, BIG_ENDIAN));
      long at = 8;
      while (!in.spells(at + 4, "IEND")) {
        long length = in.u32(at, BIG_ENDIAN);
        if (length > LIBPNG_CHUNK_LIMIT && !in.spells(at + 4, "IDAT")) {
          throw new BadRequestException("\"image\" is a PNG with a chunk of " + length + " bytes ("
              + (char) in.u8(at + 4) + (char) in.u8(at + 5) + (char) in.u8(at + 6) + (char) in.u8(at + 7)
              + "), over libpng's limit of " + LIBPNG_CHUNK_LIMIT + " bytes for a chunk other than pixels: save the"
              + " frame again without its metadata");
        }
        at += 12 + length; // length, type, data, CRC
      }
      if (at + 12 + in.u32(at, BIG_ENDIAN) > in.length()) {
        throw in.truncated();
      }
      return header;
    }
  },

  BMP("BMP", "its header is cut short") {
    private static final Set<Long> INFO_HEADER_SIZES = Set.of(40L, 52L, 56L, 64L, 108L, 124L);
    private static final Set<Integer> BITS_PER_PIXEL = Set.of(1, 4, 8, 16, 24, 32);

    @Override
    boolean sniffs(HeaderBytes in) {
      return in.spells(0, "BM");
    }

    /** An OS/2 core header holds 16-bit sizes; the others hold 32-bit ones, a negative height for top-down rows. */
    @Override
    FrameHeader readHeader(HeaderBytes in) throws BadRequestException {
      long headerSize = in.u32(14, LITTLE_ENDIAN);
      boolean core = headerSize == 12;
      if (!core && !INFO_HEADER_SIZES.contains(headerSize)) {
        throw in.corrupt("its DIB header size " + headerSize + " is none of 12, 40, 52, 56, 64, 108 or 124");
      }
      int planes = in.u16(core ? 22 : 26, LITTLE_ENDIAN);
      int bits = in.u16(core ? 24 : 28, LITTLE_ENDIAN);
      if (planes != 1 || !BITS_PER_PIXEL.contains(bits)) {
        throw in.corrupt(planes + " planes of " + bits + " bits per pixel");
      }
      if (core) {
        return new FrameHeader(this, in.u16(18, LITTLE_ENDIAN), in.u16(20, LITTLE_ENDIAN));
      }
      long height = (int) in.u32(22, LITTLE_ENDIAN);
      return new FrameHeader(this, (int) in.u32(18, LITTLE_ENDIAN), Math.abs(height));
    }
  },

  TIFF("TIFF", "its header is cut short") {
    private static final int IMAGE_WIDTH = 256;
    private static final int IMAGE_LENGTH = 257;
    private static final int TILE_WIDTH = 322;
    private static final int TILE_LENGTH = 323;
    private static final int SHORT = 3;
    private static final int LONG = 4;
    /** TIFF tiles are multiples of 16 pixels: a frame's last tiles may reach this far past it. */
    private static final int TILE_STEP = 16;

    @Override
    boolean sniffs(HeaderBytes in) {
      return in.spells(0, "II*\0") || in.spells(0, "MM\0*");
    }

    /**
     * The first directory's ImageWidth and ImageLength: OpenCV decodes the first page. A decoder allocates a tile's
     * worth of pixels for each tile, so a tile larger than the frame (a few pixels in tiles of 65,000 × 65,000) is
     * refused: it would cost gigabytes the pixel limit does not see.
     */
    @Override
    FrameHeader readHeader(HeaderBytes in) throws BadRequestException {
      ByteOrder order = in.spells(0, "II") ? LITTLE_ENDIAN : BIG_ENDIAN;
      long directory = in.u32(4, order);
      int entries = in.u16(directory, order);
      long[] values = {-1, -1, -1, -1}; // width, height, tile width, tile length
      List<Integer> tags = List.of(IMAGE_WIDTH, IMAGE_LENGTH, TILE_WIDTH, TILE_LENGTH);
      for (long entry = directory + 2; entry < directory + 2 + 12L * entries; entry += 12) {
        int tag = in.u16(entry, order);
        if (tags.contains(tag)) {
          int type = in.u16(entry + 2, order);
          if (type != SHORT && type != LONG) {
            throw in.corrupt("tag " + tag + " has type " + type + ", neither SHORT nor LONG");
          }
          values[tags.indexOf(tag)] = type == SHORT ? in.u16(entry + 8, order) : in.u32(entry + 8, order);
        }
      }
      long width = values[0];
      long height = values[1];
      if (width < 0 || height < 0) {
        throw in.corrupt("its first directory has no ImageWidth or no ImageLength");
      }
      if (values[2] > roundUp(width) || values[3] > roundUp(height)) {
        throw new BadRequestException(413, "\"image\" is a " + width + "x" + height + " TIFF in tiles of " + values[2]
            + "x" + values[3] + ", larger than the frame, each of which a decoder holds whole: save it again untiled"
            + " or in tiles no larger than the frame");
      }
      return new FrameHeader(this, width, height);
    }

    private static long roundUp(long side) {
      return (side + TILE_STEP - 1) / TILE_STEP * TILE_STEP;
    }
  },

  WEBP("WebP", "its header is cut short") {
    @Override
    boolean sniffs(HeaderBytes in) {
      return in.spells(0, "RIFF") && in.spells(8, "WEBP");
    }

    /** The first chunk: a lossy VP8 key frame, a lossless VP8L image, or the extended format's VP8X canvas. */
    @Override
    FrameHeader readHeader(HeaderBytes in) throws BadRequestException {
      if (in.spells(12, "VP8 ")) {
        if (in.u8(23) != 0x9d || in.u8(24) != 0x01 || in.u8(25) != 0x2a) {
          throw in.corrupt("its VP8 frame has no key-frame start code");
        }
        return new FrameHeader(this, in.u16(26, LITTLE_ENDIAN) & 0x3fff, in.u16(28, LITTLE_ENDIAN) & 0x3fff);
      }
      if (in.spells(12, "VP8L")) {
        if (in.u8(20) != 0x2f) {
          throw in.corrupt("its VP8L image has no signature byte");
        }
        long bits = in.u32(21, LITTLE_ENDIAN);
        return new FrameHeader(this, (bits & 0x3fff) + 1, (bits >> 14 & 0x3fff) + 1);
      }
      if (in.spells(12, "VP8X")) {
        long width = in.u16(24, LITTLE_ENDIAN) | (long) in.u8(26) << 16;
        long height = in.u16(27, LITTLE_ENDIAN) | (long) in.u8(29) << 16;
        return new FrameHeader(this, width + 1, height + 1);
      }
      throw in.corrupt("its first chunk is none of VP8, VP8L or VP8X");
    }
  };

  /** libpng's default bound on one chunk other than image data ({@code PNG_USER_CHUNK_MALLOC_MAX}), in bytes. */
  static final long LIBPNG_CHUNK_LIMIT = 8_000_000;

  private final String label;
  private final String missingWhenCut;

  FrameFormat(String label, String missingWhenCut) {
    this.label = label;
    this.missingWhenCut = missingWhenCut;
  }

  /** The format's usual name, for messages. */
  String label() {
    return label;
  }

  /** What a file cut short lacks, for the message that refuses it. */
  String missingWhenCut() {
    return missingWhenCut;
  }

  /** Whether the file starts with this format's magic bytes. */
  abstract boolean sniffs(HeaderBytes in);

  /** Reads the declared size from the header bytes; throws a 400 for a file cut short or corrupt there. */
  abstract FrameHeader readHeader(HeaderBytes in) throws BadRequestException;

  /** The format whose magic bytes start the file. */
  static FrameFormat sniff(byte[] bytes) throws BadRequestException {
    for (FrameFormat format : values()) {
      if (format.sniffs(new HeaderBytes(bytes, format))) {
        return format;
      }
    }
    throw new BadRequestException("\"image\" is not a " + names() + " file (its first bytes are " + hex(bytes)
        + "): CVAT functions take the frame file's bytes, base64-encoded");
  }

  /** "JPEG, PNG, BMP, TIFF or WebP". */
  static String names() {
    String all = Arrays.stream(values()).map(FrameFormat::label).collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return all.substring(0, last) + " or " + all.substring(last + 2);
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(4, bytes.length); i++) {
      out.append(String.format("%02x ", bytes[i]));
    }
    return out.toString().trim();
  }
}
