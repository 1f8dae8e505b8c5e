package io.cvatfunction.maven.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.contract.Skeleton;
import io.cvatfunction.maven.lint.SkeletonDrawing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** CVAT's drawing of a skeleton: a readable layout, the nodes and edges CVAT reads, the same bytes everywhere. */
class SkeletonSvgTest {

  private static final Pattern COORDINATE = Pattern.compile("\\b(?:x1|y1|x2|y2|cx|cy)=\"([^\"]*)\"");

  private static double[] at(Skeleton skeleton, String keypoint) {
    return SkeletonSvg.layout(skeleton)[skeleton.keypoints().indexOf(keypoint)];
  }

  @Test
  void cocoStandsAsAPersonFacingTheViewer() {
    Skeleton coco = Skeleton.COCO;
    for (String part : List.of("eye", "ear", "shoulder", "elbow", "wrist", "hip", "knee", "ankle")) {
      assertTrue(at(coco, "left_" + part)[0] > at(coco, "right_" + part)[0],
          "the person's left " + part + " is on the drawing's right");
      assertEquals(at(coco, "left_" + part)[1], at(coco, "right_" + part)[1], part + "s level");
    }
    List<String> headToFoot = List.of("left_eye", "nose", "left_shoulder", "left_elbow", "left_hip", "left_knee",
        "left_ankle");
    for (int i = 1; i < headToFoot.size(); i++) {
      assertTrue(at(coco, headToFoot.get(i - 1))[1] < at(coco, headToFoot.get(i))[1],
          headToFoot.get(i - 1) + " above " + headToFoot.get(i));
    }
    assertTrue(at(coco, "left_wrist")[0] > at(coco, "left_hip")[0], "arms hang beside the body");
    assertApart(SkeletonSvg.layout(coco));
  }

  @Test
  void anyOtherSkeletonIsSpreadOnACircleWithNoTwoKeypointsOnOneSpot() {
    for (int n = 1; n <= 60; n++) {
      List<String> names = IntStream.rangeClosed(1, n).mapToObj(Integer::toString).toList();
      Skeleton skeleton = new Skeleton(names, List.of());
      double[][] layout = SkeletonSvg.layout(skeleton);
      Set<String> spots = new HashSet<>();
      for (double[] point : layout) {
        assertTrue(point[0] >= 0 && point[0] <= SkeletonSvg.CANVAS && point[1] >= 0 && point[1] <= SkeletonSvg.CANVAS);
        assertTrue(spots.add(SkeletonSvg.number(point[0]) + "," + SkeletonSvg.number(point[1])),
            "as written, every keypoint of " + n + " has a spot of its own");
      }
      if (n <= 20) {
        assertApart(layout);
      }
    }
    double[][] four = SkeletonSvg.layout(new Skeleton(List.of("a", "b", "c", "d"), List.of()));
    assertEquals(List.of("50,10", "90,50", "50,90", "10,50"), List.of(four).stream()
        .map(p -> SkeletonSvg.number(p[0]) + "," + SkeletonSvg.number(p[1])).toList(), "clockwise from the top");
  }

  /** Circles of radius 1.5 that do not touch. */
  private static void assertApart(double[][] layout) {
    for (int i = 0; i < layout.length; i++) {
      for (int j = i + 1; j < layout.length; j++) {
        double distance = Math.hypot(layout[i][0] - layout[j][0], layout[i][1] - layout[j][1]);
        assertTrue(distance > 3, "keypoints " + i + " and " + j + " are " + distance + " apart");
      }
    }
  }

  @Test
  void writesTheNodesAndEdgesCvatReads() {
    Skeleton skeleton = new Skeleton(List.of("tip", "tail", "left wing's end"),
        List.of(new Skeleton.Edge(0, 1), new Skeleton.Edge(1, 2)));
    String svg = SkeletonSvg.of(skeleton);
    assertTrue(svg.startsWith("<line x1=\"50\" y1=\"10\" x2=\"84.64\" y2=\"70\" stroke=\"black\" data-type=\"edge\" "
        + "data-node-from=\"1\" data-node-to=\"2\"></line>"), svg);
    assertTrue(svg.contains("<circle r=\"1.5\" stroke=\"black\" fill=\"#b3b3b3\" cx=\"50\" cy=\"10\" stroke-width=\"0.1\""
        + " data-type=\"element node\" data-element-id=\"1\" data-node-id=\"1\" data-label-name=\"tip\"></circle>"), svg);
    SkeletonDrawing drawing = SkeletonDrawing.parse(svg);
    assertEquals(List.of(new SkeletonDrawing.Node("1", "tip"), new SkeletonDrawing.Node("2", "tail"),
        new SkeletonDrawing.Node("3", "left wing's end")), drawing.nodes(), "names as they are, and read back");
    assertEquals(List.of(new SkeletonDrawing.Edge("1", "2"), new SkeletonDrawing.Edge("2", "3")), drawing.edges());
  }

  @Test
  void coordinatesHaveAtMostTwoDecimalsInEveryLocale() {
    Locale before = Locale.getDefault();
    List<String> svgs = new ArrayList<>();
    try {
      for (Locale locale : List.of(Locale.ROOT, Locale.GERMANY, Locale.forLanguageTag("ar-EG"))) {
        Locale.setDefault(locale);
        svgs.add(SkeletonSvg.of(new Skeleton(List.of("a", "b", "c", "d", "e", "f", "g"), List.of(new Skeleton.Edge(0,
            3)))) + SkeletonSvg.of(Skeleton.COCO));
      }
    } finally {
      Locale.setDefault(before);
    }
    assertEquals(1, new HashSet<>(svgs).size(), "the same bytes whatever the locale");
    Matcher m = COORDINATE.matcher(svgs.get(0));
    int count = 0;
    while (m.find()) {
      assertTrue(m.group(1).matches("\\d{1,3}(\\.\\d{1,2})?"), m.group());
      count++;
    }
    assertEquals(4 + 7 * 2 + 19 * 4 + 17 * 2, count);
    assertEquals("84.64", SkeletonSvg.number(84.641016));
    assertEquals("1.01", SkeletonSvg.number(1.005));
    assertEquals("50", SkeletonSvg.number(50.0));
    assertEquals("0", SkeletonSvg.number(-0.001));
  }
}
