package io.cvatfunction.runtime.cvat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A shape's JSON is the JSON Jackson writes for the same record, the mask's raw writing included. */
class ShapeJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Jackson's own rendering of an int array, the reference. */
  private static String plain(int[] values) throws Exception {
    return JSON.writeValueAsString(values);
  }

  @Test
  void aMaskIsWrittenAsJacksonWritesItsNumbers() throws Exception {
    Random random = new Random(7);
    int[] bits = new int[10_000];
    Arrays.setAll(bits, i -> random.nextInt(2));
    int[] mask = Arrays.copyOf(bits, bits.length + 4);
    mask[bits.length] = 12;
    mask[bits.length + 1] = 0;
    mask[bits.length + 2] = 111;
    mask[bits.length + 3] = 99;
    Shape shape = Shape.mask("circle", new float[] {1.5f, 2f, 3f, 4f}, mask, 0.75f, List.of());

    String json = JSON.writeValueAsString(shape);

    assertEquals(json, new String(JSON.writeValueAsBytes(shape), StandardCharsets.UTF_8)); // the server's path
    assertEquals("{\"label\":\"circle\",\"type\":\"mask\",\"points\":[1.5,2.0,3.0,4.0],\"confidence\":0.75,\"mask\":"
        + plain(mask) + "}", json);
  }

  @Test
  void everyIntegerIsWrittenAsJacksonWritesIt() throws Exception {
    int[] values = {0, 1, 9, 10, -1, -10, 123456789, Integer.MAX_VALUE, Integer.MIN_VALUE, 7};
    Shape shape = Shape.mask("x", new float[0], values, 0.5f, List.of());

    JsonNode written = JSON.readTree(JSON.writeValueAsString(shape)).get("mask");

    assertEquals(JSON.readTree(plain(values)), written);
    assertEquals(plain(values), written.toString());
  }

  @Test
  void anEmptyMaskIsLeftOutAsBefore() throws Exception {
    Shape shape = Shape.mask("x", new float[0], new int[0], 0.5f, List.of());

    assertEquals("{\"label\":\"x\",\"type\":\"mask\",\"confidence\":0.5}", JSON.writeValueAsString(shape));
  }

  @Test
  void everyTaskShapeIsWrittenAsCvatReadsIt() throws Exception {
    List<ShapeAttribute> score = List.of(new ShapeAttribute("confidence", "88"));
    assertEquals("{\"label\":\"car\",\"type\":\"rectangle\",\"points\":[1.0,2.0,3.0,4.0],\"confidence\":0.5}",
        JSON.writeValueAsString(Shape.rectangle("car", 1, 2, 3, 4, 0.5f, List.of())));
    assertEquals("{\"label\":\"bar\",\"type\":\"rectangle\",\"points\":[1.0,2.0,3.0,4.0],\"rotation\":0.0,"
        + "\"confidence\":0.5}", JSON.writeValueAsString(Shape.rotatedRectangle("bar", 1, 2, 3, 4, 0, 0.5f, List.of())),
        "a rotation of 0 is still written: the box is an oriented one");
    assertEquals("{\"label\":\"kite\",\"type\":\"skeleton\",\"confidence\":0.88,\"attributes\":[{\"name\":"
        + "\"confidence\",\"value\":\"88\"}],\"elements\":[{\"label\":\"tip\",\"type\":\"points\",\"points\":"
        + "[5.0,6.0],\"outside\":false},{\"label\":\"tail\",\"type\":\"points\",\"points\":[0.0,0.0],\"outside\""
        + ":true}]}", JSON.writeValueAsString(Shape.skeleton("kite", List.of(Shape.keypoint("tip", 5, 6, false),
            Shape.keypoint("tail", 0, 0, true)), 0.88f, score)));
    assertEquals("{\"label\":\"circle\",\"type\":\"tag\",\"confidence\":0.88,\"attributes\":[{\"name\":"
        + "\"confidence\",\"value\":\"88\"}]}", JSON.writeValueAsString(Shape.tag("circle", 0.88f, score)));
  }
}
