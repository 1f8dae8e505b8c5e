package io.cvatfunction.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.cvatfunction.runtime.server.ProcessorConfig;
import io.cvatfunction.runtime.server.ServerSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A handler class's annotation, and the defaults of one without any, read in one place. */
class FunctionAnnotationTest {

  @Test
  void anAnnotatedClassGivesItsOwn() {
    assertSame(TestDetectors.ScoredShapes.class.getAnnotation(CvatFunction.class),
        FunctionAnnotation.of(TestDetectors.ScoredShapes.class));
  }

  @Test
  void aClassWithoutOneGetsTheAnnotationsDefaultsEverywhere() throws NoSuchMethodException {
    CvatFunction defaults = FunctionAnnotation.of(String.class);
    assertEquals(CvatFunction.class.getMethod("workers").getDefaultValue(), defaults.workers());
    assertEquals("", defaults.confidenceAttribute());
    assertEquals(0.5f, defaults.keypointThreshold());

    ServerSettings settings = ServerSettings.resolve(String.class, ProcessorConfig.empty(), name -> null);
    assertEquals(defaults.workers(), settings.workers(), "the server's default is the annotation's");
    assertEquals(Duration.ofSeconds(30), settings.eventTimeout());
    assertEquals(Duration.ofMillis(defaults.workerAvailabilityTimeoutMillis()), settings.workerAvailabilityTimeout());
    assertEquals(defaults.maxRequestBodySize(), settings.maxRequestBodySize());
  }
}
