package io.cvatfunction.runtime.image;

import io.cvatfunction.runtime.BadRequestException;
import java.nio.ByteOrder;

/**
 * Bounds-checked reads of the integers in a frame file's header. A read past the end means the file was cut
 * short; a value that breaks the format's rules means it is corrupt. Both are the client's fault: a 400.
 */
final class HeaderBytes {

  private final byte[] bytes;
  private final FrameFormat format;

  HeaderBytes(byte[] bytes, FrameFormat format) {
    this.bytes = bytes;
    this.format = format;
  }

  int length() {
    return bytes.length;
  }

  int u8(long at) throws BadRequestException {
    if (at < 0 || at >= bytes.length) {
      throw truncated();
    }
    return bytes[(int) at] & 0xff;
  }

  int u16(long at, ByteOrder order) throws BadRequestException {
    int first = u8(at);
    int second = u8(at + 1);
    return order == ByteOrder.BIG_ENDIAN ? first << 8 | second : second << 8 | first;
  }

  long u32(long at, ByteOrder order) throws BadRequestException {
    long first = u16(at, order);
    long second = u16(at + 2, order);
    return order == ByteOrder.BIG_ENDIAN ? first << 16 | second : second << 16 | first;
  }

  /** Where the next byte of this value is, at {@code from} or after; a file without one is cut short. */
  long indexOf(int value, long from) throws BadRequestException {
    byte wanted = (byte) value;
    for (int i = (int) Math.max(0, from); i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    throw truncated();
  }

  /** Whether the file starts with these byte values. */
  boolean startsWith(int... values) {
    if (bytes.length < values.length) {
      return false;
    }
    for (int i = 0; i < values.length; i++) {
      if ((bytes[i] & 0xff) != values[i]) {
        return false;
      }
    }
    return true;
  }

  /** Whether the bytes at {@code at} spell {@code text} in ASCII (false where the file is too short). */
  boolean spells(long at, String text) {
    if (at < 0 || at + text.length() > bytes.length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (bytes[(int) at + i] != (byte) text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The error for a file that ends before its structure does. */
  BadRequestException truncated() {
    return new BadRequestException("\"image\" is a truncated " + format.label() + " (" + format.missingWhenCut()
        + "): send the whole file");
  }

  /** The error for a structure that breaks the format's rules. */
  BadRequestException corrupt(String what) {
    return new BadRequestException("\"image\" has an unreadable " + format.label() + " header (" + what
        + "): the file is corrupt");
  }
}
