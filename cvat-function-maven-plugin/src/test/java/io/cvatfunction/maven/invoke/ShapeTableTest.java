package io.cvatfunction.maven.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.nuclio.NuclioException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table cvat:invoke prints, and reading the shapes (and tags) it is made of. */
class ShapeTableTest {

  @Test
  void linesUpLabelConfidenceAndBox() throws Exception {
    List<DetectedShape> shapes = FrameInvoker.shapes(URI.create("http://localhost:8080/"), """
        [{"label": "circle", "type": "rectangle", "points": [961.32, 547.43, 1275.71, 856.98], "confidence": 0.9736},
         {"label": "triangle", "type": "rectangle", "points": [33.89, 626.17, 344.06, 897.27], "confidence": 0.9116},
         {"label": "blob", "type": "mask", "points": [10, 10, 30, 10, 20, 40], "mask": [0, 1, 1, 0, 10, 10, 30, 40]},
         {"label": "road", "type": "polygon", "points": [5, 5, 50, 8, 40, 60]}]
        """);
    assertEquals(List.of(
        "#  label     confidence  type       box (xtl, ytl, xbr, ybr)",
        "1  circle         0.974  rectangle  961, 547, 1276, 857",
        "2  triangle       0.912  rectangle  34, 626, 344, 897",
        "3  blob               -  mask       10, 10, 30, 40",
        "4  road               -  polygon    5, 5, 50, 60"), ShapeTable.format(shapes));
  }

  @Test
  void showsARotationTheKeypointsAndATagsPlace() throws Exception {
    List<DetectedShape> shapes = FrameInvoker.shapes(URI.create("http://localhost:8080/"), """
        [{"label": "plate", "type": "rectangle", "points": [100, 100, 300, 200], "rotation": 30.5, "confidence": 0.9},
         {"label": "arrow", "type": "skeleton", "confidence": 0.8, "elements": [
           {"label": "tip", "type": "points", "points": [10, 20], "outside": false},
           {"label": "tail", "type": "points", "points": [40, 60], "outside": true},
           {"label": "wing", "type": "points", "points": [30, 5], "outside": 0}]},
         {"label": "circle", "type": "tag", "confidence": 0.97}]
        """);
    assertEquals(List.of(
        "#  label   confidence  type       box (xtl, ytl, xbr, ybr)",
        "1  plate        0.900  rectangle  100, 100, 300, 200 rotated 30.5 deg",
        "2  arrow        0.800  skeleton   10, 5, 30, 20; 2/3 visible",
        "3  circle       0.970  tag        -"), ShapeTable.format(shapes));
    assertEquals(30.5, shapes.get(0).rotation());
    assertEquals(List.of(new DetectedShape.Keypoint("tip", 10, 20, false), new DetectedShape.Keypoint("tail", 40, 60,
        true), new DetectedShape.Keypoint("wing", 30, 5, false)), shapes.get(1).keypoints(), "outside as CVAT's 0/1 too");
  }

  @Test
  void refusesShapesWithoutWhatTheirTypeNeeds() {
    URI url = URI.create("http://localhost:8080/");
    for (String[] answer : new String[][] {
        {"[{\"type\": \"tag\"}]", "a shape without a label"},
        {"[{\"label\": \"a\", \"type\": \"rectangle\"}]", "a rectangle without points"},
        {"[{\"label\": \"a\", \"type\": \"skeleton\"}]", "a skeleton without elements"},
        {"[{\"label\": \"a\", \"type\": \"skeleton\", \"elements\": [{\"label\": \"tip\"}]}]",
            "a skeleton element without a label or a point"}}) {
      NuclioException e = assertThrows(NuclioException.class, () -> FrameInvoker.shapes(url, answer[0]));
      assertTrue(e.getMessage().startsWith("the function at " + url + " answered 200 but not a JSON array of CVAT "
          + "shapes: " + answer[1] + ": "), e.getMessage());
    }
  }

  @Test
  void saysWhenThereIsNothing() {
    assertEquals(List.of("no shapes (nothing above the threshold)"), ShapeTable.format(List.of()));
  }
}
