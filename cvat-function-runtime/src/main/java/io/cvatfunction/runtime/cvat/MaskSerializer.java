package io.cvatfunction.runtime.cvat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a mask's values as Jackson would, a JSON array of integers, but as one raw value whose bytes are copied
 * into the output as they are: a mask is one number per pixel of its box (hundreds of thousands in a segmentation
 * answer), and written number by number its JSON took longer than the mask itself.
 */
final class MaskSerializer extends StdSerializer<int[]> {

  private static final long serialVersionUID = 1L;

  MaskSerializer() {
    super(int[].class);
  }

  @Override
  public boolean isEmpty(SerializerProvider provider, int[] values) {
    return values.length == 0; // as Jackson's own array serializer: NON_EMPTY leaves an empty mask out
  }

  @Override
  public void serialize(int[] values, JsonGenerator generator, SerializerProvider provider) throws IOException {
    // The pixels (0 and 1) come first, a digit and a comma each; the few values after them (the box) as numbers.
    int digits = 0;
    while (digits < values.length && values[digits] >= 0 && values[digits] <= 9) {
      digits++;
    }
    int length = 1 + 2 * digits; // '[', then each digit and the comma or ']' after it
    for (int i = digits; i < values.length; i++) {
      length += Integer.toString(values[i]).length() + 1;
    }
    // Sized exactly, so a mask as large as the frame costs its JSON once, not a worst case and a copy.
    byte[] text = new byte[values.length == 0 ? 2 : length];
    text[0] = '[';
    for (int i = 0; i < digits; i++) {
      text[1 + 2 * i] = (byte) ('0' + values[i]);
      text[2 + 2 * i] = ',';
    }
    int at = 1 + 2 * digits;
    for (int i = digits; i < values.length; i++) {
      byte[] number = Integer.toString(values[i]).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(number, 0, text, at, number.length);
      at += number.length;
      text[at++] = ',';
    }
    text[text.length - 1] = ']'; // in place of the last comma
    generator.writeRawValue(new Ascii(text));
  }

  /** ASCII JSON that byte-oriented generators copy as it is; the quoted forms, never used for raw values, delegate. */
  private static final class Ascii implements SerializableString {
    private final byte[] bytes;

    Ascii(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public String getValue() {
      return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Override
    public int charLength() {
      return bytes.length;
    }

    @Override
    public byte[] asUnquotedUTF8() {
      return bytes;
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
      if (offset + bytes.length > buffer.length) {
        return -1; // the generator then writes asUnquotedUTF8() itself
      }
      System.arraycopy(bytes, 0, buffer, offset, bytes.length);
      return bytes.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
      if (offset + bytes.length > buffer.length) {
        return -1;
      }
      for (int i = 0; i < bytes.length; i++) {
        buffer[offset + i] = (char) bytes[i];
      }
      return bytes.length;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
      out.write(bytes);
      return bytes.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
      if (buffer.remaining() < bytes.length) {
        return -1;
      }
      buffer.put(bytes);
      return bytes.length;
    }

    @Override
    public char[] asQuotedChars() {
      return quoted().asQuotedChars();
    }

    @Override
    public byte[] asQuotedUTF8() {
      return quoted().asQuotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
      return quoted().appendQuotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
      return quoted().appendQuoted(buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
      return quoted().writeQuotedUTF8(out);
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
      return quoted().putQuotedUTF8(buffer);
    }

    private SerializedString quoted() {
      return new SerializedString(getValue());
    }
  }
}
