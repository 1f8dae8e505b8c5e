package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.Fixtures;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

class FrameDecoderTest {

  private final FrameDecoder decoder = new FrameDecoder(50_000_000);

  private static int[] size(Mat mat) {
    int[] size = {mat.cols(), mat.rows(), mat.channels()};
    mat.release();
    return size;
  }

  @Test
  void decodesColourGreyAndPngToBgr() throws BadRequestException {
    assertEquals("[1920, 1080, 3]", Arrays.toString(size(decoder.decode(Fixtures.frame("000.jpg")))));
    assertEquals("[1920, 1080, 3]", Arrays.toString(size(decoder.decode(Fixtures.frame("003.png")))));
    assertEquals("[1280, 720, 3]", Arrays.toString(size(decoder.decode(Fixtures.frame("007.jpg")))), "grey JPEG");
    assertEquals("[1080, 1920, 3]", Arrays.toString(size(decoder.decode(Fixtures.frame("009.jpg")))), "portrait");
    assertEquals("[4000, 3000, 3]", Arrays.toString(size(decoder.decode(Fixtures.frame("010.jpg")))));
  }

  @Test
  void rejectsTruncatedFiles() {
    byte[] jpeg = Fixtures.frame("000.jpg");
    byte[] png = Fixtures.frame("003.png");
    assertMessage(Arrays.copyOf(jpeg, jpeg.length / 2), 400, "truncated JPEG");
    assertMessage(Arrays.copyOf(png, png.length - 100), 400, "truncated PNG");
    assertMessage(Arrays.copyOf(jpeg, 2), 400, "neither a JPEG nor a PNG");
  }

  @Test
  void rejectsOtherFormats() {
    assertMessage("GIF89a....".getBytes(), 400, "neither a JPEG nor a PNG (its first bytes are 47 49 46 38)");
    assertMessage(new byte[] {0}, 400, "neither a JPEG nor a PNG");
  }

  @Test
  void rejectsCorruptPixelData() {
    byte[] jpeg = Fixtures.frame("008.jpg").clone();
    // Wipe the header after the SOI marker: still "a JPEG" by magic and end marker, but undecodable.
    Arrays.fill(jpeg, 3, 600, (byte) 0);
    BadRequestException e = assertThrows(BadRequestException.class, () -> decoder.decode(jpeg));
    assertEquals(400, e.status());
  }

  @Test
  void refusesDecompressionBombsBeforeDecoding() throws IOException {
    byte[] bomb = Fixtures.pngDeclaring(100_000, 100_000);
    assertMessage(bomb, 413, "100000x100000 = 10000000000 pixels, over this function's limit of 50000000");
    FrameDecoder small = new FrameDecoder(1_000_000);
    BadRequestException e = assertThrows(BadRequestException.class, () -> small.decode(Fixtures.frame("000.jpg")));
    assertEquals(413, e.status());
  }

  private void assertMessage(byte[] bytes, int status, String expected) {
    BadRequestException e = assertThrows(BadRequestException.class, () -> decoder.decode(bytes));
    assertEquals(status, e.status());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
