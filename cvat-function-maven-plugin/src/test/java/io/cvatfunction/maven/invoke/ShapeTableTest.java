package io.cvatfunction.maven.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table cvat:invoke prints, and reading the shapes it is made of. */
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
  void saysWhenThereIsNothing() {
    assertEquals(List.of("no shapes (nothing above the threshold)"), ShapeTable.format(List.of()));
  }
}
