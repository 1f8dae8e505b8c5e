package io.cvatfunction.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelReferenceTest {

  @Test
  void aClasspathReferenceNamesAResource() {
    assertEquals(Optional.of("models/best.torchscript"), ModelReference.resource("classpath:models/best.torchscript"));
    // ClassLoader.getResource takes no leading slash; Class.getResource-style references still work.
    assertEquals(Optional.of("models/best.torchscript"), ModelReference.resource("classpath://models/best.torchscript"));
  }

  @Test
  void anythingElseIsAFilePath() {
    for (String path : new String[] {"models/best.torchscript", "/opt/models/best.torchscript", "Classpath:x", ""}) {
      assertEquals(Optional.empty(), ModelReference.resource(path), path);
    }
    assertEquals(Optional.empty(), ModelReference.resource(null));
  }
}
