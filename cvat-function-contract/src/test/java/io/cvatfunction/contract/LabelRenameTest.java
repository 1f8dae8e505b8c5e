package io.cvatfunction.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LabelRenameTest {

  @Test
  void aNameRenamesTheLabel() {
    assertEquals(Optional.of("pedestrian"), LabelRename.cvatName("person", "pedestrian", false));
  }

  @Test
  void noNameKeepsTheModels() {
    // @Label(model = "person") with attributes only: the label keeps its name.
    assertEquals(Optional.of("person"), LabelRename.cvatName("person", "", false));
  }

  @Test
  void dropWinsOverAName() {
    assertEquals(Optional.empty(), LabelRename.cvatName("bicycle", "", true));
    assertEquals(Optional.empty(), LabelRename.cvatName("bicycle", "bike", true));
  }
}
