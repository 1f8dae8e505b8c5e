package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvatfunction.contract.LabelRename;
import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.contract.Skeletons;
import io.cvatfunction.contract.YoloTask;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.Label;
import io.cvatfunction.runtime.cvat.Shape;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.yolo.ModelSource;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
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
 * {@code src/test/resources/frames/}: each must then give at least one shape (a classifier: a tag). Without any, the
 * tests run on a generated frame and check only that the answer is well-formed for the model's task: rectangles
 * (detect; turned ones for obb), masks or polygons (segment), skeletons (pose), one tag a frame (classify).
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
    ModelMetadata metadata = metadata();
    List<Shape> shapes = detector.detect(frame, THRESHOLD);
    for (Shape shape : shapes) {
      assertWellFormed(shape, metadata, image, THRESHOLD, name);
    }
    if (metadata.task() == YoloTask.CLASSIFY) {
      assertOneTagAFrame(shapes, frame, metadata, image, name);
    }
    if (ownFrame) {
      assertFalse(shapes.isEmpty(), name + (metadata.task() == YoloTask.CLASSIFY ? ": no class is " + THRESHOLD
          + " likely or more" : ": no shape scores above " + THRESHOLD) + "; the frames in " + FRAMES
          + " should each show an object the model was trained on");
    }
  }

  /** One shape of the function's answer: a label CVAT knows, the type of the model's task, its score. */
  private static void assertWellFormed(Shape shape, ModelMetadata metadata, BufferedImage image, float threshold,
      String frame) throws IOException {
    String where = frame + ": " + shape.label() + " " + shape.type() + " " + Arrays.toString(shape.points());
    Set<String> labels = cvatLabels();
    assertTrue(labels.contains(shape.label()), where + ": CVAT only accepts the function's labels " + labels);
    String type = metadata.task().labelType(annotation().segments() == CvatFunction.SegmentShape.POLYGON);
    assertEquals(type, shape.type(), where + ": a " + metadata.task().id() + " model answers " + type + " shapes");
    switch (type) {
      case "rectangle" -> assertWellFormedRectangle(shape, metadata.task() == YoloTask.OBB, image, where);
      case "mask" -> assertWellFormedMask(shape, image, where);
      case "polygon" -> assertWellFormedPolygon(shape.points(), image, where);
      case "skeleton" -> assertWellFormedSkeleton(shape, metadata, image, where);
      case "tag" -> assertEquals(0, shape.points().length, where + ": a tag is the whole frame's, it has no points");
      default -> throw new AssertionError(where + ": no check for " + type + " shapes in this test");
    }
    assertNotNull(shape.confidence(), where + ": no confidence");
    assertTrue(shape.confidence() >= threshold && shape.confidence() <= 1, where + ": confidence "
        + shape.confidence() + " outside " + threshold + "..1");
    String scoreAttribute = annotation().confidenceAttribute();
    if (!scoreAttribute.isEmpty()) {
      ShapeAttribute score = shape.attributes().stream().filter(a -> a.name().equals(scoreAttribute)).findFirst()
          .orElseThrow(() -> new AssertionError(where + ": no attribute " + scoreAttribute + " with the score"));
      assertEquals(String.valueOf(Math.round(shape.confidence() * 100)), score.value(),
          where + ": the score CVAT keeps, as a whole percentage");
    }
  }

  /**
   * {@code [xtl, ytl, xbr, ybr]} on the frame. An obb model's rectangle is that box before CVAT turns it clockwise
   * about its centre by {@code rotation} degrees: its centre lies on the frame and its turned corners near it (an
   * object cut by the frame's edge may be found a little beyond it).
   */
  private static void assertWellFormedRectangle(Shape shape, boolean turned, BufferedImage image, String where) {
    float[] box = shape.points();
    assertEquals(4, box.length, where + ": a rectangle is [xtl, ytl, xbr, ybr]");
    assertTrue(box[0] <= box[2] && box[1] <= box[3], where + ": a rectangle's corners are top left, bottom right");
    if (!turned) {
      assertTrue(shape.rotation() == null || shape.rotation() == 0, where + ": a detect model's rectangles are not "
          + "turned, got rotation " + shape.rotation());
      assertInside(box, image, 0, where);
      return;
    }
    assertNotNull(shape.rotation(), where + ": an obb model's rectangle carries its rotation");
    assertTrue(shape.rotation() >= 0 && shape.rotation() < 360, where + ": rotation " + shape.rotation()
        + " is outside CVAT's [0, 360) degrees");
    float cx = (box[0] + box[2]) / 2;
    float cy = (box[1] + box[3]) / 2;
    assertInside(new float[] {cx, cy}, image, 0, where + ": its centre");
    double radians = Math.toRadians(shape.rotation());
    double cos = Math.cos(radians);
    double sin = Math.sin(radians);
    float[] corners = new float[8];
    for (int i = 0; i < 4; i++) {
      float dx = (i == 1 || i == 2 ? box[2] : box[0]) - cx;
      float dy = (i >= 2 ? box[3] : box[1]) - cy;
      corners[2 * i] = (float) (cx + dx * cos - dy * sin);
      corners[2 * i + 1] = (float) (cy + dx * sin + dy * cos);
    }
    float margin = Math.min(box[2] - box[0], box[3] - box[1]) / 2;
    assertInside(corners, image, margin, where + ": turned by " + shape.rotation() + " degrees, its corners "
        + Arrays.toString(corners));
  }

  /** CVAT's mask: the outline as its points, and the 0/1 pixels of its box in {@code mask}. */
  private static void assertWellFormedMask(Shape shape, BufferedImage image, String where) {
    assertWellFormedPolygon(shape.points(), image, where);
    int[] mask = shape.mask();
    assertNotNull(mask, where + ": a mask shape carries its pixels in \"mask\"");
    // The 0/1 pixels of its box, row by row, then the box [xtl, ytl, xbr, ybr] (inclusive) on the frame.
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

  /** An outline {@code [x1, y1, x2, y2, x3, y3, ...]} on the frame. */
  private static void assertWellFormedPolygon(float[] outline, BufferedImage image, String where) {
    assertTrue(outline.length >= 6 && outline.length % 2 == 0, where + ": an outline is [x1, y1, x2, y2, x3, y3, ...]");
    assertInside(outline, image, 0, where);
  }

  /**
   * A pose model's object: a skeleton with no points of its own and one {@code points} element a keypoint of the
   * model, named as the function names them ({@code @CvatFunction(keypoints)}, {@code keypoints.txt} beside the model,
   * the model's own names, else COCO's or numbers), each on the frame and {@code outside} when hidden.
   */
  private static void assertWellFormedSkeleton(Shape shape, ModelMetadata metadata, BufferedImage image, String where)
      throws IOException {
    assertEquals(0, shape.points().length, where + ": a skeleton's points are its elements'");
    assertNotNull(shape.elements(), where + ": a skeleton carries its keypoints as elements");
    int count = metadata.keypoints().count();
    assertEquals(count, shape.elements().size(), where + ": one element per keypoint of the model (" + count + ")");
    List<String> names = new ArrayList<>();
    for (Shape element : shape.elements()) {
      String point = where + ": keypoint " + element.label() + " " + Arrays.toString(element.points());
      names.add(element.label());
      assertEquals("points", element.type(), point + ": a skeleton's elements are points");
      assertEquals(2, element.points().length, point + ": a keypoint is one point [x, y]");
      assertInside(element.points(), image, 0, point);
      assertNotNull(element.outside(), point + ": says whether it is outside (hidden)");
    }
    assertEquals(count, new TreeSet<>(names).size(), where + ": CVAT needs a name per keypoint, got " + names);
    assertEquals(keypointNames(shape.label(), metadata), names, where + ": the keypoints, in the model's order, as "
        + "@CvatFunction(keypoints) or keypoints.txt beside the model names them");
  }

  /** A classifier answers at most one tag at the threshold, and exactly one, its top class, at threshold 0. */
  private static void assertOneTagAFrame(List<Shape> shapes, byte[] frame, ModelMetadata metadata, BufferedImage image,
      String name) throws Exception {
    assertTrue(shapes.size() <= 1, name + ": a classifier tags a frame with its top class only, got "
        + shapes.stream().map(Shape::label).toList());
    List<Shape> top = detector.detect(frame, 0f);
    assertEquals(1, top.size(), name + ": at threshold 0 a classifier tags every frame once, got "
        + top.stream().map(Shape::label).toList());
    assertWellFormed(top.get(0), metadata, image, 0f, name + " at threshold 0");
  }

  /** Every point of a flat [x1, y1, x2, y2, ...] list lies on the frame, or within {@code margin} pixels of it. */
  private static void assertInside(float[] points, BufferedImage image, float margin, String where) {
    for (int i = 0; i < points.length; i += 2) {
      assertTrue(-margin <= points[i] && points[i] <= image.getWidth() + margin,
          where + ": x outside 0.." + image.getWidth() + (margin > 0 ? " by more than " + margin : ""));
      assertTrue(-margin <= points[i + 1] && points[i + 1] <= image.getHeight() + margin,
          where + ": y outside 0.." + image.getHeight() + (margin > 0 ? " by more than " + margin : ""));
    }
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
    return ModelMetadata.read(MODEL);
  }

  /** The model's own label names. */
  private static List<String> modelLabels() throws IOException {
    return metadata().names();
  }

  /** The labels CVAT knows: the model's, renamed or dropped by @Label, as cvat:spec declares them. */
  private static Set<String> cvatLabels() throws IOException {
    Set<String> labels = new TreeSet<>();
    for (String name : modelLabels()) {
      cvatLabel(name).ifPresent(labels::add);
    }
    return labels;
  }

  /** The CVAT label of a model label, empty when @Label drops it. */
  private static Optional<String> cvatLabel(String modelLabel) {
    Label override = Arrays.stream(annotation().labels()).filter(l -> l.model().equals(modelLabel)).findFirst()
        .orElse(null);
    return override == null ? Optional.of(modelLabel)
        : LabelRename.cvatName(modelLabel, override.name(), override.drop());
  }

  /** The keypoint names of a CVAT label's skeletons, by the rule the function and cvat:spec share. */
  private static List<String> keypointNames(String label, ModelMetadata metadata) throws IOException {
    // keypoints.txt as the function reads it: beside the model on the classpath (target/classes).
    Optional<String> file = ModelSource.besideModel(annotation().model(), Skeletons.FILE,
        ${className}.class.getClassLoader());
    Skeletons.Resolved skeletons = Skeletons.resolve(List.of(annotation().keypoints()), List.of(annotation().edges()),
        file, metadata.keypointNames(), metadata.keypoints().count(), metadata.classCount());
    for (int c = 0; c < metadata.classCount(); c++) {
      if (cvatLabel(metadata.names().get(c)).filter(label::equals).isPresent()) {
        return skeletons.byClass().get(c).keypoints();
      }
    }
    throw new AssertionError(label + " is none of the function's labels " + cvatLabels());
  }

  private static CvatFunction annotation() {
    return ${className}.class.getAnnotation(CvatFunction.class);
  }
}
