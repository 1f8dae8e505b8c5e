package io.cvatfunction.runtime.cvat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The score as CVAT keeps it: an integer number attribute within 0;100;1. */
class ConfidenceAttributeTest {

  @ParameterizedTest
  @CsvSource({"0.5, 50", "0.874, 87", "0.875, 88", "0.996, 100", "1.0, 100", "0.0, 0", "0.004, 0", "1.2, 100",
      "-0.1, 0"})
  void theScoreIsAWholePercentageWithinTheDeclaredRange(float score, String value) {
    assertEquals(value, ConfidenceAttribute.value(score));
    int percent = Integer.parseInt(ConfidenceAttribute.value(score));
    int min = Integer.parseInt(ConfidenceAttribute.VALUES.get(0));
    int max = Integer.parseInt(ConfidenceAttribute.VALUES.get(1));
    int step = Integer.parseInt(ConfidenceAttribute.VALUES.get(2));
    assertEquals(0, (percent - min) % step);
    assertEquals(true, min <= percent && percent <= max);
  }

  @Test
  void itIsAddedAfterTheHandlersOwnAttributesOnlyWhenDeclared() {
    List<ShapeAttribute> own = List.of(new ShapeAttribute("size", "large"));
    assertEquals(List.of(new ShapeAttribute("size", "large"), new ShapeAttribute("confidence", "91")),
        ConfidenceAttribute.append(own, "confidence", 0.91f));
    assertSame(own, ConfidenceAttribute.append(own, "", 0.91f), "not declared: nothing added");
    List<ShapeAttribute> ownScore = List.of(new ShapeAttribute("confidence", "high"));
    assertSame(ownScore, ConfidenceAttribute.append(ownScore, "confidence", 0.91f), "the handler's own value wins");
  }
}
