package io.cvatfunction.maven.nuclio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Nuclio's name rule (a Kubernetes qualified name) and the stricter one of its Kubernetes Services. */
class NuclioNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"pth.facebookresearch.sam.vit_h", "openvino.omz.public.yolo-v3-tf", "Shapes_Detector.v2"})
  void nuclioTakesQualifiedNamesThatKubernetesServicesRefuse(String name) {
    assertEquals(Optional.empty(), NuclioNames.refusedByNuclio(name));
    assertTrue(NuclioNames.refusedByKubernetes(name).isPresent(), name);
  }

  @ParameterizedTest
  @CsvSource({"'shapes detector', 'is not a valid Nuclio function name'", "'-shapes', 'is not a valid Nuclio function name'",
      "'shapes.', 'is not a valid Nuclio function name'", "'team/shapes', 'is not a valid Nuclio function name'"})
  void nuclioRefusesOtherNames(String name, String message) {
    assertTrue(NuclioNames.refusedByNuclio(name).orElseThrow().contains(message));
  }

  @Test
  void lengthsAreCountedAsNuclioAndKubernetesCountThem() {
    assertEquals(Optional.empty(), NuclioNames.refusedByNuclio("a".repeat(63)));
    assertEquals("'" + "a".repeat(64) + "' has 64 characters; Nuclio accepts at most 63: shorten it",
        NuclioNames.refusedByNuclio("a".repeat(64)).orElseThrow());
    assertEquals(Optional.empty(), NuclioNames.refusedByKubernetes("a".repeat(56)), "nuclio- + 56 = 63");
    assertTrue(NuclioNames.refusedByKubernetes("a".repeat(57)).isPresent());
  }

  @ParameterizedTest
  @CsvSource({"pth.facebookresearch.sam.vit_h, pth-facebookresearch-sam-vit-h", "My__Detector!!, my-detector",
      "__, my-function", "shapes-detector, shapes-detector"})
  void aPortableNameWorksEverywhere(String name, String portable) {
    assertEquals(portable, NuclioNames.portable(name));
    assertEquals(Optional.empty(), NuclioNames.refusedByKubernetes(portable));
  }

  @Test
  void aLongPortableNameIsCutWithoutATrailingDash() {
    String portable = NuclioNames.portable("a".repeat(55) + ".b" + "c".repeat(10));
    assertEquals("a".repeat(55), portable);
    assertEquals(Optional.empty(), NuclioNames.refusedByKubernetes(portable));
  }

  @Test
  void namespacesAndProjectsAreDnsLabels() {
    assertTrue(NuclioNames.isDnsLabel("nuclio"));
    assertTrue(NuclioNames.isDnsLabel("cvat-prod"));
    assertFalse(NuclioNames.isDnsLabel(null));
    assertFalse(NuclioNames.isDnsLabel("CVAT"));
    assertFalse(NuclioNames.isDnsLabel("cvat.prod"));
    assertFalse(NuclioNames.isDnsLabel("a".repeat(64)));
  }
}
