package io.cvatfunction.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a pose model's keypoint names and edges come from, first found wins, and what is refused. */
class SkeletonsTest {

  private static final List<String> FOUR = List.of("tip", "tail", "left", "right");

  @Test
  void theAnnotationWinsOverTheFileAndTheModel() {
    Skeletons.Resolved resolved = Skeletons.resolve(FOUR, List.of("tip - left", "left - tail"),
        Optional.of("a\nb\nc\nd\n"), Map.of(0, List.of("w", "x", "y", "z")), 4, 2);
    assertEquals(Skeletons.Source.ANNOTATION, resolved.source());
    assertEquals(new Skeleton(FOUR, List.of(new Skeleton.Edge(0, 2), new Skeleton.Edge(2, 1))),
        resolved.byClass().get(1));
    assertEquals(2, resolved.byClass().size(), "one a class");
  }

  @Test
  void theFileNamesKeypointsAndEdgesSkippingBlankLinesAndComments() {
    String file = """
        # keypoints of an arrow
        tip
        tail

        left
        right
        tip - tail
          left  -  right
        """;
    Skeletons.Resolved resolved = Skeletons.resolve(List.of(), List.of(), Optional.of(file), Map.of(), 4, 1);
    assertEquals(Skeletons.Source.FILE, resolved.source());
    Skeleton skeleton = resolved.byClass().get(0);
    assertEquals(FOUR, skeleton.keypoints());
    assertEquals(List.of(new Skeleton.Edge(0, 1), new Skeleton.Edge(2, 3)), skeleton.edges());
  }

  @Test
  void theAnnotationsEdgesJoinTheFilesNames() {
    Skeleton skeleton = Skeletons.resolve(List.of(), List.of("tail - right"), Optional.of("tip\ntail\nleft\nright\n"
        + "tip - tail\n"), Map.of(), 4, 1).byClass().get(0);
    assertEquals(List.of(new Skeleton.Edge(1, 3)), skeleton.edges(), "the annotation's edges replace the file's");
  }

  @Test
  void theModelsNamesServeEachClassAndTheDefaultTheOthers() {
    Skeletons.Resolved resolved = Skeletons.resolve(List.of(), List.of(), Optional.empty(), Map.of(1, FOUR), 4, 2);
    assertEquals(Skeletons.Source.MODEL, resolved.source());
    assertEquals(List.of("1", "2", "3", "4"), resolved.byClass().get(0).keypoints());
    assertEquals(FOUR, resolved.byClass().get(1).keypoints());
  }

  @Test
  void seventeenUnnamedKeypointsAreCocosWithItsLimbs() {
    Skeletons.Resolved resolved = Skeletons.resolve(List.of(), List.of(), Optional.empty(), Map.of(), 17, 1);
    assertEquals(Skeleton.COCO, resolved.byClass().get(0));
    assertEquals(Skeletons.Source.COCO, resolved.source());
    assertEquals(19, Skeleton.COCO.edges().size());
    assertTrue(Skeleton.COCO.isCoco());
    // COCO's names given by the model get COCO's limbs too.
    assertEquals(Skeleton.COCO.edges(), Skeletons.resolve(List.of(), List.of(), Optional.empty(),
        Map.of(0, Skeleton.COCO.keypoints()), 17, 1).byClass().get(0).edges());
  }

  @Test
  void otherUnnamedKeypointsAreNumberedAsCvatNamesNewPoints() {
    Skeletons.Resolved resolved = Skeletons.resolve(List.of(), List.of(), Optional.empty(), Map.of(), 3, 1);
    assertEquals(List.of("1", "2", "3"), resolved.byClass().get(0).keypoints());
    assertEquals(List.of(), resolved.byClass().get(0).edges());
    assertEquals(Skeletons.Source.NUMBERS, resolved.source());
    assertTrue(resolved.source().description().contains("name them with @CvatFunction(keypoints) or keypoints.txt"));
  }

  @Test
  void refusesWhatCvatCouldNotDrawNamingTheSourceAndTheFix() {
    assertEquals("@CvatFunction(keypoints) names 3 keypoints, but the model predicts 4: name each of them, in the"
        + " model's order", refusal(List.of("a", "b", "c"), List.of(), Optional.empty()));
    assertEquals("keypoints.txt names 2 keypoints, but the model predicts 4: name each of them, in the model's order",
        refusal(List.of(), List.of(), Optional.of("a\nb\n")));
    assertEquals("@CvatFunction(keypoints): keypoint 'tip' is named twice: CVAT needs a name per keypoint",
        refusal(List.of("tip", "tail", "tip", "right"), List.of(), Optional.empty()));
    assertEquals("@CvatFunction(edges) has the edge 'tip - nose', but 'nose' is none of the keypoints [tip, tail,"
        + " left, right]", refusal(FOUR, List.of("tip - nose"), Optional.empty()));
    assertEquals("@CvatFunction(edges) has 'tip-tail', which is not an edge: write it as \"a - b\" with two keypoint"
        + " names and spaces around the dash", refusal(FOUR, List.of("tip-tail"), Optional.empty()));
    assertEquals("@CvatFunction(keypoints): an edge joins 'tip' to itself",
        refusal(FOUR, List.of("tip - tip"), Optional.empty()));
    assertEquals("@CvatFunction(keypoints): keypoint 'a\"b' has a character CVAT's skeleton drawing cannot hold (\","
        + " <, > or &): rename it", refusal(List.of("a\"b", "tail", "left", "right"), List.of(), Optional.empty()));
  }

  @Test
  void theOutsideThresholdIsAProbability() {
    assertEquals(0.3f, Skeletons.outsideThreshold(0.3f));
    assertEquals(0f, Skeletons.outsideThreshold(0f));
    assertEquals(1f, Skeletons.outsideThreshold(1f));
    for (float wrong : new float[] {-0.1f, 1.5f, Float.NaN}) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> Skeletons.outsideThreshold(wrong)).getMessage()
          .startsWith("@CvatFunction(keypointThreshold) must be in [0, 1], got "));
    }
  }

  private static String refusal(List<String> keypoints, List<String> edges, Optional<String> file) {
    return assertThrows(IllegalArgumentException.class,
        () -> Skeletons.resolve(keypoints, edges, file, Map.of(), 4, 1)).getMessage();
  }
}
