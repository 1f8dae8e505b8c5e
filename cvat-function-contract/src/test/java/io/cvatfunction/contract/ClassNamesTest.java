package io.cvatfunction.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassNamesTest {

  @Test
  void ordersNamesByClassIdNotByPosition() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("1", "square");
    names.put("10", "k");
    names.put("0", "circle");
    for (int id = 2; id < 10; id++) {
      names.put(Integer.toString(id), "c" + id);
    }
    assertEquals(List.of("circle", "square", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "k"),
        ClassNames.byClassId(names));
  }

  @Test
  void refusesAGapInTheIds() {
    // The drift of issue 14: cvat:spec once compacted {0: a, 2: c} to ids 0, 1 while the runtime refused the model.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClassNames.byClassId(Map.of("0", "a", "2", "c")));
    assertEquals("skips class id 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ClassNames.byClassId(Map.of("1", "b")));
    assertEquals("skips class id 0", e.getMessage());
  }

  @Test
  void refusesANonNumericId() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClassNames.byClassId(Map.of("x", "a")));
    assertEquals("has a non-numeric class id: x", e.getMessage());
  }
}
