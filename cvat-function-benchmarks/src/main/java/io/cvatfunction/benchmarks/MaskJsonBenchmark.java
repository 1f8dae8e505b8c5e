package io.cvatfunction.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.runtime.cvat.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a segmentation answer — 8 masks of 250×250 pixels, about 1 MB — written as the server writes it and,
 * for comparison, with Jackson's own int-array serializer: median of 300 each, three rounds, one JVM.
 *
 * <pre>./mvnw -q -pl cvat-function-benchmarks exec:java -Dexec.mainClass=io.cvatfunction.benchmarks.MaskJsonBenchmark</pre>
 */
public final class MaskJsonBenchmark {

  private MaskJsonBenchmark() {}

  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<Shape> shapes = new ArrayList<>();
    List<Map<String, Object>> plain = new ArrayList<>();
    for (int s = 0; s < 8; s++) {
      int[] mask = new int[250 * 250 + 4];
      for (int i = 0; i < mask.length - 4; i++) {
        mask[i] = (i / 250 + i % 250) % 7 < 4 ? 1 : 0;
      }
      float[] polygon = new float[200];
      for (int i = 0; i < polygon.length; i++) {
        polygon[i] = (i * 37 % 1000) + 0.5f;
      }
      Shape shape = Shape.mask("circle", polygon, mask, 0.9f, List.of());
      shapes.add(shape);
      Map<String, Object> same = new LinkedHashMap<>();
      same.put("label", shape.label());
      same.put("type", shape.type());
      same.put("points", shape.points());
      same.put("confidence", shape.confidence());
      same.put("mask", shape.mask());
      plain.add(same);
    }
    if (!new String(json.writeValueAsBytes(shapes)).equals(new String(json.writeValueAsBytes(plain)))) {
      throw new IllegalStateException("the two writings differ");
    }
    for (int round = 0; round < 3; round++) {
      System.out.printf("server's writing %.2f ms, Jackson's int arrays %.2f ms (%d bytes)%n", median(json, shapes),
          median(json, plain), json.writeValueAsBytes(shapes).length);
    }
  }

  private static double median(ObjectMapper json, Object answer) throws Exception {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      long start = System.nanoTime();
      json.writeValueAsBytes(answer);
      times.add(System.nanoTime() - start);
    }
    times.sort(null);
    return times.get(times.size() / 2) / 1e6;
  }
}
