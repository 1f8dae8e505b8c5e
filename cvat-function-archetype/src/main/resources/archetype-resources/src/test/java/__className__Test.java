package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvatfunction.contract.LabelRename;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.Label;
import io.cvatfunction.runtime.cvat.Shape;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.yolo.ModelMetadata;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ${className}} on the CPU, as CVAT would call it. It needs the model: until
 * {@code src/main/resources/models/best.torchscript} exists, these tests are skipped with a message saying how to
 * add it.
 *
 * <p>Put a few frames of your own (JPEG or PNG, each showing at least one object the model knows) in
 * {@code src/test/resources/frames/}: each must then give at least one shape. Without any, the tests run on a
 * generated frame and check only that the answer is well-formed: rectangles for a detect model, masks (or polygons,
 * with {@code segments = POLYGON}) for a segment model.
 */
class ${className}Test {

  private static final Logger LOG = LoggerFactory.getLogger(${className}Test.class);

  private static final Path MODEL = Path.of("src", "main", "resources", "models", "best.torchscript");
  private static final Path FRAMES = Path.of("src", "test", "resources", "frames");
  private static final String NO_MODEL = "put your best.torchscript in src/main/resources/models to run this test: "
      + "yolo export model=best.pt format=torchscript imgsz=640";

  /** The threshold the function applies when CVAT sends none; shapes scoring above it are returned. */
  private static final float THRESHOLD = 0.5f;

  private static ${className} detector;

  @BeforeAll
  static void load() throws Exception {
    if (!Files.isRegularFile(MODEL)) {
      LOG.warn("No model yet, ${className}Test is skipped (and cvat:spec too): {}", NO_MODEL);
      return;
    }
    detector = new ${className}();
    detector.load(HandlerOptions.cpu());
  }

  /** Skips each test, rather than the class, so the build's summary counts them as skipped. */
  @BeforeEach
  void needsTheModel() {
    assumeTrue(detector != null, NO_MODEL);
  }

  @AfterAll
  static void close() {
    if (detector != null) {
      detector.close();
    }
  }

  @Test
  void readsItsLabelsFromTheModel() throws IOException {
    List<String> names = modelLabels();
    assertFalse(names.isEmpty(), MODEL + " names no labels");
    for (Label label : annotation().labels()) {
      assertTrue(names.contains(label.model()),
          "@Label(model = \"" + label.model() + "\") is none of the model's labels " + names);
    }
    assertFalse(cvatLabels().isEmpty(), "@CvatFunction(labels) drops every label of the model " + names);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void answersWithWellFormedShapes(String name, byte[] frame, boolean ownFrame) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame));
    assertNotNull(image, name + " is not a JPEG or PNG");
    List<Shape> shapes = detector.detect(frame, THRESHOLD);
    Set<String> labels = cvatLabels();
    String type = shapeType();
    String scoreAttribute = annotation().confidenceAttribute();
    for (Shape shape : shapes) {
      String where = name + ": " + shape.label() + " " + shape.type() + " " + Arrays.toString(shape.points());
      assertTrue(labels.contains(shape.label()), where + ": CVAT only accepts the function's labels " + labels);
      assertEquals(type, shape.type(), where);
      if (type.equals("rectangle")) {
        float[] box = shape.points();
        assertEquals(4, box.length, where + ": a rectangle is [xtl, ytl, xbr, ybr]");
        assertTrue(box[0] <= box[2] && box[1] <= box[3], where + ": a rectangle's corners are top left, bottom right");
      } else {
        assertTrue(shape.points().length >= 6 && shape.points().length % 2 == 0,
            where + ": an outline is [x1, y1, x2, y2, x3, y3, ...]");
      }
      assertInside(shape.points(), image, where);
      if (type.equals("mask")) {
        assertWellFormedMask(shape.mask(), image, where);
      }
      assertTrue(shape.confidence() >= THRESHOLD && shape.confidence() <= 1, where + ": confidence "
          + shape.confidence() + " outside " + THRESHOLD + "..1");
      if (!scoreAttribute.isEmpty()) {
        ShapeAttribute score = shape.attributes().stream().filter(a -> a.name().equals(scoreAttribute)).findFirst()
            .orElseThrow(() -> new AssertionError(where + ": no attribute " + scoreAttribute + " with the score"));
        assertEquals(String.valueOf(Math.round(shape.confidence() * 100)), score.value(),
            where + ": the score CVAT keeps, as a whole percentage");
      }
    }
    if (ownFrame) {
      assertFalse(shapes.isEmpty(), name + ": no shape scores above " + THRESHOLD + "; the frames in " + FRAMES
          + " should each show an object the model was trained on");
    }
  }

  /** What the function answers with: rectangles for a detect model, masks or polygons for a segment model. */
  private static String shapeType() throws IOException {
    if (!metadata().isSegmentation()) {
      return "rectangle";
    }
    return annotation().segments() == CvatFunction.SegmentShape.POLYGON ? "polygon" : "mask";
  }

  /** Every point of a flat [x1, y1, x2, y2, ...] list lies on the frame. */
  private static void assertInside(float[] points, BufferedImage image, String where) {
    for (int i = 0; i < points.length; i += 2) {
      assertTrue(0 <= points[i] && points[i] <= image.getWidth(), where + ": x outside 0.." + image.getWidth());
      assertTrue(0 <= points[i + 1] && points[i + 1] <= image.getHeight(),
          where + ": y outside 0.." + image.getHeight());
    }
  }

  /** CVAT's mask: the 0/1 pixels of its box, row by row, then the box [xtl, ytl, xbr, ybr] (inclusive) on the frame. */
  private static void assertWellFormedMask(int[] mask, BufferedImage image, String where) {
    assertNotNull(mask, where + ": a mask shape carries its pixels in \"mask\"");
    int n = mask.length;
    assertTrue(n > 4, where + ": a mask holds its pixels and its box");
    int xtl = mask[n - 4];
    int ytl = mask[n - 3];
    int xbr = mask[n - 2];
    int ybr = mask[n - 1];
    assertTrue(0 <= xtl && xtl <= xbr && xbr < image.getWidth() && 0 <= ytl && ytl <= ybr && ybr < image.getHeight(),
        where + ": mask box " + xtl + "," + ytl + "," + xbr + "," + ybr + " is not on the frame");
    assertEquals((long) (xbr - xtl + 1) * (ybr - ytl + 1), n - 4, where + ": one value per pixel of the mask's box");
    boolean any = false;
    for (int i = 0; i < n - 4; i++) {
      assertTrue(mask[i] == 0 || mask[i] == 1, where + ": mask values are 0 or 1, got " + mask[i]);
      any |= mask[i] == 1;
    }
    assertTrue(any, where + ": an empty mask");
  }

  /** The frames in src/test/resources/frames, or one generated frame when there are none. */
  static Stream<Arguments> frames() throws IOException {
    List<Arguments> frames = new ArrayList<>();
    if (Files.isDirectory(FRAMES)) {
      try (Stream<Path> files = Files.list(FRAMES)) {
        for (Path file : files.sorted().toList()) {
          String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
          if (lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".png")) {
            frames.add(Arguments.of(file.getFileName().toString(), Files.readAllBytes(file), true));
          }
        }
      }
    }
    if (frames.isEmpty()) {
      frames.add(Arguments.of("a generated frame (add yours to " + FRAMES + ")", generatedFrame(), false));
    }
    return frames.stream();
  }

  /** A 640x480 JPEG with a few filled shapes on CVAT-like grey, standing in for a real frame. */
  private static byte[] generatedFrame() throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(new Color(114, 114, 114));
      g.fillRect(0, 0, 640, 480);
      g.setColor(new Color(200, 40, 40));
      g.fillOval(80, 90, 160, 160);
      g.setColor(new Color(40, 90, 200));
      g.fillRect(360, 220, 180, 140);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, "jpg", jpeg), "this JDK has no JPEG writer");
    return jpeg.toByteArray();
  }

  /** The metadata Ultralytics writes into the export (config.txt): labels, task, input size. */
  private static ModelMetadata metadata() throws IOException {
    try (ZipFile zip = new ZipFile(MODEL.toFile())) {
      ZipEntry config = zip.stream().filter(entry -> entry.getName().endsWith("/extra/config.txt")).findFirst()
          .orElseThrow(() -> new AssertionError(MODEL + " has no config.txt metadata: " + NO_MODEL));
      return ModelMetadata.parse(new String(zip.getInputStream(config).readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** The model's own label names. */
  private static List<String> modelLabels() throws IOException {
    return metadata().names();
  }

  /** The labels CVAT knows: the model's, renamed or dropped by @Label, as cvat:spec declares them. */
  private static Set<String> cvatLabels() throws IOException {
    Set<String> labels = new TreeSet<>();
    for (String name : modelLabels()) {
      Label override = Arrays.stream(annotation().labels()).filter(l -> l.model().equals(name)).findFirst().orElse(null);
      if (override == null) {
        labels.add(name);
      } else {
        LabelRename.cvatName(name, override.name(), override.drop()).ifPresent(labels::add);
      }
    }
    return labels;
  }

  private static CvatFunction annotation() {
    return ${className}.class.getAnnotation(CvatFunction.class);
  }
}
