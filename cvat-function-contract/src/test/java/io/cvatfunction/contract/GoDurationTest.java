package io.cvatfunction.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @Test
  void parsesGoDurations() {
    assertEquals(Duration.ofSeconds(30), GoDuration.parse("30s"));
    assertEquals(Duration.ofSeconds(90), GoDuration.parse("1m30s"));
    assertEquals(Duration.ofMillis(500), GoDuration.parse("500ms"));
    assertEquals(Duration.ofMinutes(150), GoDuration.parse("2h30m"));
    assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
    assertEquals(Duration.ZERO, GoDuration.parse("0"));
    // The same set cvat:lint accepts (NuclioLintTest): µ is the micro sign, μ Greek mu; Go takes both.
    for (String micro : new String[] {"5us", "5\u00b5s", "5\u03bcs"}) {
      assertEquals(Duration.ofNanos(5000), GoDuration.parse(micro), micro);
      assertTrue(GoDuration.isValid(micro), micro);
    }
  }

  @Test
  void rejectsOtherForms() {
    for (String bad : new String[] {"", "30", "s", "30 s", "30sec", "-5s", "1m x"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(bad), bad);
      assertEquals(true, e.getMessage().contains("e.g. 30s"), e.getMessage());
      assertFalse(GoDuration.isValid(bad), bad);
    }
  }
}
