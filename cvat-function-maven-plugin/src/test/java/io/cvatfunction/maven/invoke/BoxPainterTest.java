package io.cvatfunction.maven.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.nuclio.NuclioException;
import io.cvatfunction.runtime.Fixtures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Drawing shapes on a frame: exact outline pixels, untouched insides, one colour per label, tags. */
class BoxPainterTest {

  private static final Color BACKGROUND = new Color(90, 100, 110);

  private static BufferedImage plain(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(BACKGROUND);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  private static DetectedShape box(String label, double x1, double y1, double x2, double y2) {
    return new DetectedShape(label, "rectangle", new double[] {x1, y1, x2, y2}, 0.87, null, null, List.of());
  }

  private static int colour(DetectedShape shape) {
    return BoxPainter.colours(List.of(shape)).get(shape.label()).getRGB();
  }

  @Test
  void outlinesEachBoxInItsLabelsColourAndLeavesItsInsideAlone() {
    DetectedShape cat = box("cat", 100.4, 120.6, 300, 260);
    DetectedShape dog = box("dog", 400, 150, 560, 330);
    BufferedImage drawn = BoxPainter.paint(plain(640, 360), List.of(cat, dog)).image();
    Map<String, Color> colours = BoxPainter.colours(List.of(cat, dog));
    int t = BoxPainter.thickness(640, 360);
    assertEquals(2, t);

    int catColour = colours.get("cat").getRGB();
    assertEquals(catColour, drawn.getRGB(100, 190), "left edge");
    assertEquals(catColour, drawn.getRGB(300, 190), "right edge");
    assertEquals(catColour, drawn.getRGB(200, 260), "bottom edge");
    assertEquals(catColour, drawn.getRGB(100 - t / 2, 190), "the outline is t pixels wide, centred on the edge");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(100 - t / 2 - 1, 190), "and no wider");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(100 + t, 190), "inside the outline");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(200, 200), "the middle");
    assertEquals(colours.get("dog").getRGB(), drawn.getRGB(400, 240));
    assertNotEquals(catColour, colours.get("dog").getRGB());

    // The tag sits just above the box: its pixels are the label colour or the text colour, not the frame.
    long tagPixels = IntStream.range(101, 141).filter(x -> drawn.getRGB(x, 112) != BACKGROUND.getRGB()).count();
    assertEquals(40, tagPixels, "a filled tag above the box");
  }

  @Test
  void aBoxAtTheTopEdgeGetsItsTagInside() {
    DetectedShape top = box("top", 50, 0, 250, 150);
    BufferedImage drawn = BoxPainter.paint(plain(400, 300), List.of(top)).image();
    assertTrue(drawn.getRGB(60, 8) != BACKGROUND.getRGB(), "the tag is inside, under the top edge");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(150, 100), "the rest of the inside is untouched");
  }

  @Test
  void aPolygonIsDrawnThroughItsPoints() {
    DetectedShape triangle = new DetectedShape("triangle", "polygon", new double[] {100, 200, 200, 20, 300, 200},
        null, null, null, List.of());
    BufferedImage drawn = BoxPainter.paint(plain(400, 300), List.of(triangle)).image();
    int colour = BoxPainter.colours(List.of(triangle)).get("triangle").getRGB();
    assertEquals(colour, drawn.getRGB(200, 200), "the base");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(200, 150), "inside the triangle");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(100, 60), "outside the triangle, inside its bounds");
  }

  @Test
  void aRotatedRectangleIsTurnedClockwiseAboutItsCentre() {
    // 200 x 100 about (200, 150), a quarter turn: it stands 100 wide and 200 tall.
    DetectedShape upright = new DetectedShape("plate", "rectangle", new double[] {100, 100, 300, 200}, 0.9, null, 90.0,
        List.of());
    BufferedImage drawn = BoxPainter.paint(plain(400, 300), List.of(upright)).image();
    int colour = colour(upright);
    assertEquals(colour, drawn.getRGB(150, 150), "the left side, after the turn");
    assertEquals(colour, drawn.getRGB(250, 150), "the right side");
    assertEquals(colour, drawn.getRGB(200, 250), "the bottom");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(100, 150), "where the left side was before the turn");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(200, 150), "the middle");

    // A bar 200 long, turned 30 degrees: clockwise, its right end goes down (y grows down), as in CVAT.
    DetectedShape bar = new DetectedShape("bar", "rectangle", new double[] {100, 140, 300, 160}, 0.9, null, 30.0,
        List.of());
    BufferedImage turned = BoxPainter.paint(plain(400, 300), List.of(bar)).image();
    assertEquals(colour(bar), turned.getRGB(287, 200), "the right end's middle, 100 px along the turned bar");
    assertEquals(BACKGROUND.getRGB(), turned.getRGB(287, 100), "not turned the other way");
  }

  @Test
  void aSkeletonIsDotsOnItsVisibleKeypointsJoinedByItsLabelsEdges() {
    DetectedShape arrow = new DetectedShape("arrow", "skeleton", new double[0], 0.8, null, null, List.of(
        new DetectedShape.Keypoint("tip", 100, 150, false), new DetectedShape.Keypoint("tail", 200, 150, false),
        new DetectedShape.Keypoint("left", 150, 250, true), new DetectedShape.Keypoint("right", 300, 250, false)));
    SkeletonEdges edges = SkeletonEdges.of(Map.of("arrow", List.of(new SkeletonEdges.Link("tip", "tail"),
        new SkeletonEdges.Link("tail", "left"))));
    BufferedImage drawn = BoxPainter.paint(plain(400, 300), List.of(arrow), edges).image();
    int colour = colour(arrow);
    int r = BoxPainter.dotRadius(BoxPainter.thickness(400, 300));
    for (int[] dot : new int[][] {{100, 150}, {200, 150}, {300, 250}}) {
      assertEquals(colour, drawn.getRGB(dot[0], dot[1]), "a dot on the keypoint");
      assertEquals(colour, drawn.getRGB(dot[0], dot[1] + r), "filled to its radius");
      assertEquals(BACKGROUND.getRGB(), drawn.getRGB(dot[0], dot[1] + r + 2), "and no further");
    }
    assertEquals(colour, drawn.getRGB(150, 150), "the edge tip - tail");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(150, 250), "an outside keypoint is hidden, as in CVAT");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(175, 200), "and so is its edge");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(250, 200), "no edge the label does not have");

    BufferedImage bare = BoxPainter.paint(plain(400, 300), List.of(arrow)).image();
    assertEquals(colour, bare.getRGB(100, 150), "without the spec's edges, the dots");
    assertEquals(BACKGROUND.getRGB(), bare.getRGB(150, 150), "and no lines");
  }

  @Test
  void theFramesTagsAreStackedInItsTopLeftCorner() {
    DetectedShape first = new DetectedShape("circle", "tag", new double[0], 0.9, null, null, List.of());
    DetectedShape second = new DetectedShape("square", "tag", new double[0], 0.1, null, null, List.of());
    BufferedImage drawn = BoxPainter.paint(plain(400, 300), List.of(first, second)).image();
    Map<String, Color> colours = BoxPainter.colours(List.of(first, second));
    // The captions' left column holds no text: the first caption's colour, then the second's, then the frame.
    List<Integer> column = IntStream.range(0, 300).map(y -> drawn.getRGB(0, y)).boxed().toList();
    int firstEnd = column.indexOf(colours.get("square").getRGB());
    int secondEnd = column.indexOf(BACKGROUND.getRGB());
    assertTrue(firstEnd > 10, "the first caption is as tall as its text: " + firstEnd);
    assertTrue(column.subList(0, firstEnd).stream().allMatch(c -> c == colours.get("circle").getRGB()));
    assertEquals(2 * firstEnd, secondEnd, "the second caption right under the first, as tall");
    assertTrue(column.subList(secondEnd, 300).stream().allMatch(c -> c == BACKGROUND.getRGB()), "then the frame");
    assertEquals(BACKGROUND.getRGB(), drawn.getRGB(200, 150), "nothing drawn in the frame");
  }

  @Test
  void everyLabelGetsItsOwnColourWhateverTheOrder() {
    List<DetectedShape> shapes = IntStream.range(0, 30).mapToObj(i -> box("label" + i, 0, 0, 1, 1)).toList();
    Map<String, Color> colours = BoxPainter.colours(shapes);
    assertEquals(30, new HashSet<>(colours.values()).size());
    assertEquals(BoxPainter.colours(List.of(box("a", 0, 0, 1, 1))).get("a"),
        BoxPainter.colours(List.of(box("b", 0, 0, 1, 1), box("a", 0, 0, 1, 1))).get("a"),
        "sorted labels take the palette in turn: the first name gets the first colour");
    assertEquals(BoxPainter.colours(List.of(box("b", 0, 0, 1, 1), box("a", 0, 0, 1, 1))),
        BoxPainter.colours(List.of(box("a", 0, 0, 1, 1), box("b", 0, 0, 1, 1))), "answer order does not matter");
  }

  @Test
  void decodesFramesAndRefusesWhatItCannotDraw() throws Exception {
    BufferedImage jpeg = BoxPainter.decode(Fixtures.frame("000.jpg"));
    assertEquals(1920, jpeg.getWidth());
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(plain(64, 48), "png", png);
    assertEquals(48, BoxPainter.decode(png.toByteArray()).getHeight());

    assertTrue(assertThrows(NuclioException.class, () -> BoxPainter.decode(Fixtures.pngDeclaring(20000, 20000)))
        .getMessage().equals("the frame is 20000x20000, too large to draw on"));
    assertTrue(assertThrows(NuclioException.class, () -> BoxPainter.decode(new byte[] {1, 2, 3})).getMessage()
        .startsWith("cannot decode the frame to draw on it"));
  }

  @Test
  void theOutlineGrowsWithTheFrame() {
    assertEquals(2, BoxPainter.thickness(320, 240));
    assertEquals(4, BoxPainter.thickness(1920, 1080));
    assertEquals(8, BoxPainter.thickness(3840, 2160));
  }
}
