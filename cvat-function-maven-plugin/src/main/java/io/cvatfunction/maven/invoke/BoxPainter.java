package io.cvatfunction.maven.invoke;

import io.cvatfunction.maven.nuclio.NuclioException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Draws an answer's shapes on its frame so a person can see what the model found: each box outlined in its
 * label's colour (a rotated box turned as CVAT turns it), each polygon through its points, each skeleton as dots on
 * its visible keypoints joined by its label's edges (CVAT hides {@code outside} keypoints, so they are not drawn, nor
 * are their edges), each with a caption "label 0.93" above it, and the frame's tags as captions stacked in its top-left
 * corner. Runs headless (Java2D without a display).
 */
public final class BoxPainter {

  /** Frames larger than this are not drawn (the function server refuses them too, at 50 MP by default). */
  static final long MAX_PIXELS = 100_000_000L;

  // Colours that stay apart from each other and show on photos (Sasha Trubetskoy's list of distinct colours).
  private static final Color[] PALETTE = {
      new Color(230, 25, 75), new Color(60, 180, 75), new Color(0, 130, 200), new Color(245, 130, 48),
      new Color(145, 30, 180), new Color(70, 240, 240), new Color(240, 50, 230), new Color(210, 245, 60),
      new Color(255, 225, 25), new Color(0, 128, 128), new Color(170, 110, 40), new Color(128, 0, 0)};

  private BoxPainter() {}

  /**
   * A colour for each label: labels sorted by name take the palette in turn, so a label keeps its colour
   * from frame to frame of the same model; past the palette, hues are spread by the golden angle.
   */
  public static Map<String, Color> colours(List<DetectedShape> shapes) {
    Map<String, Color> colours = new LinkedHashMap<>();
    List<String> labels = shapes.stream().map(DetectedShape::label).distinct().sorted().toList();
    for (int i = 0; i < labels.size(); i++) {
      colours.put(labels.get(i), i < PALETTE.length ? PALETTE[i]
          : Color.getHSBColor((float) ((i * 0.618033988749895) % 1.0), 0.85f, 0.95f));
    }
    return colours;
  }

  /** The outline's width in pixels: 2 px for small frames, growing with the frame (4 px at 1080p). */
  public static int thickness(int width, int height) {
    return Math.max(2, Math.round(Math.min(width, height) / 270f));
  }

  /**
   * Decodes a JPEG or PNG frame.
   *
   * @throws NuclioException when it cannot be decoded or is too large to draw on
   */
  public static BufferedImage decode(byte[] frame) throws NuclioException {
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(frame))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
      if (!readers.hasNext()) {
        throw new NuclioException("cannot decode the frame to draw on it: no image reader for it");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, true, true);
        // The size first, so that a huge frame is refused before its pixels are allocated.
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new NuclioException("the frame is " + reader.getWidth(0) + "x" + reader.getHeight(0)
              + ", too large to draw on");
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new NuclioException("cannot decode the frame to draw on it: " + e.getMessage(), e);
    }
  }

  /**
   * A frame with shapes drawn on it.
   *
   * @param image the drawing
   * @param tagged whether the captions (label and confidence) were drawn: false on a JDK without any font (a slim
   *     headless image without fontconfig), where only the outlines and dots are drawn, and a square of its label's
   *     colour for each frame tag
   */
  public record Painted(BufferedImage image, boolean tagged) {}

  /** A copy of {@code frame} (as RGB) with the shapes drawn on it, skeletons without edges. */
  public static Painted paint(BufferedImage frame, List<DetectedShape> shapes) {
    return paint(frame, shapes, SkeletonEdges.none("no edges asked for"));
  }

  /**
   * A copy of {@code frame} (as RGB) with the shapes drawn on it.
   *
   * @param edges the lines to draw between each skeleton label's keypoints
   */
  public static Painted paint(BufferedImage frame, List<DetectedShape> shapes, SkeletonEdges edges) {
    int width = frame.getWidth();
    int height = frame.getHeight();
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    boolean tagged = true;
    try {
      g.drawImage(frame, 0, 0, null);
      Map<String, Color> colours = colours(shapes);
      int t = thickness(width, height);
      // Crisp outlines: no antialiasing, so each outline pixel has exactly its label's colour.
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      for (DetectedShape shape : shapes) {
        if (shape.tag()) {
          continue; // a caption in the corner, drawn with the others
        }
        g.setColor(colours.get(shape.label()));
        if (!shape.keypoints().isEmpty()) {
          skeleton(g, shape, edges.of(shape.label()), t);
        } else if (shape.rotated()) {
          polygon(g, shape.corners(), t);
        } else if (shape.outlined()) {
          polygon(g, shape.points(), t);
        } else {
          box(g, shape.box(), t);
        }
      }
      // Captions after all outlines, so no outline crosses a caption's text.
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      try {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, Math.round(Math.min(width, height) / 60f))));
        int banner = 0;
        for (DetectedShape shape : shapes) {
          if (shape.tag()) {
            banner += caption(g, shape, colours.get(shape.label()), t, 0, banner, width).height;
          } else {
            double[] bounds = bounds(shape);
            int x = (int) Math.round(bounds[0]) - t / 2;
            int top = (int) Math.round(bounds[1]) - t / 2;
            int above = top - captionSize(g, shape, t).height;
            // Above the shape when there is room, else just inside its top edge.
            caption(g, shape, colours.get(shape.label()), t, x, above >= 0 ? above : top + t, width);
          }
        }
      } catch (LinkageError | InternalError | NullPointerException noFonts) {
        // what the JDK's font configuration throws when fontconfig or every font is missing
        tagged = false;
        swatches(g, shapes, colours, t);
      }
    } finally {
      g.dispose();
    }
    return new Painted(image, tagged);
  }

  /** Where a shape's caption goes: above its drawn bounds (a rotated box's corners, not its unturned box). */
  private static double[] bounds(DetectedShape shape) {
    return shape.rotated() ? DetectedShape.bounds(shape.corners()) : shape.box();
  }

  /** Without fonts, the frame's tags are still shown: a square of each tag's colour, stacked in the corner. */
  private static void swatches(Graphics2D g, List<DetectedShape> shapes, Map<String, Color> colours, int t) {
    int side = 6 * t;
    int y = 0;
    for (DetectedShape shape : shapes) {
      if (shape.tag()) {
        g.setColor(colours.get(shape.label()));
        g.fillRect(0, y, side, side);
        y += side + t;
      }
    }
  }

  // t nested one-pixel rectangles centred on the box's edges: the edge pixels themselves are always covered.
  private static void box(Graphics2D g, double[] box, int t) {
    int x1 = (int) Math.round(box[0]);
    int y1 = (int) Math.round(box[1]);
    int x2 = (int) Math.round(box[2]);
    int y2 = (int) Math.round(box[3]);
    int half = t / 2;
    for (int i = 0; i < t; i++) {
      int inset = i - half;
      int w = x2 - x1 - 2 * inset;
      int h = y2 - y1 - 2 * inset;
      if (w >= 0 && h >= 0) {
        g.drawRect(x1 + inset, y1 + inset, w, h);
      }
    }
  }

  private static void polygon(Graphics2D g, double[] points, int t) {
    int n = points.length / 2;
    int[] xs = new int[n];
    int[] ys = new int[n];
    for (int i = 0; i < n; i++) {
      xs[i] = (int) Math.round(points[2 * i]);
      ys[i] = (int) Math.round(points[2 * i + 1]);
    }
    g.setStroke(new BasicStroke(t));
    g.drawPolygon(xs, ys, n);
    g.setStroke(new BasicStroke(1));
  }

  /** A skeleton: its label's edges between visible keypoints, then a dot on each visible keypoint. */
  private static void skeleton(Graphics2D g, DetectedShape shape, List<SkeletonEdges.Link> links, int t) {
    Map<String, DetectedShape.Keypoint> visible = new LinkedHashMap<>();
    shape.visible().forEach(k -> visible.putIfAbsent(k.label(), k));
    g.setStroke(new BasicStroke(t));
    for (SkeletonEdges.Link link : links) {
      DetectedShape.Keypoint from = visible.get(link.from());
      DetectedShape.Keypoint to = visible.get(link.to());
      if (from != null && to != null) {
        g.drawLine((int) Math.round(from.x()), (int) Math.round(from.y()), (int) Math.round(to.x()),
            (int) Math.round(to.y()));
      }
    }
    g.setStroke(new BasicStroke(1));
    int r = dotRadius(t);
    for (DetectedShape.Keypoint keypoint : visible.values()) {
      g.fillOval((int) Math.round(keypoint.x()) - r, (int) Math.round(keypoint.y()) - r, 2 * r + 1, 2 * r + 1);
    }
  }

  /** A keypoint's dot radius: 3 px for small frames, a little more than the outline's width on large ones. */
  static int dotRadius(int thickness) {
    return Math.max(3, thickness + 1);
  }

  private static String captionText(DetectedShape shape) {
    return shape.label() + (shape.confidence() == null ? ""
        : String.format(Locale.ROOT, " %.2f", shape.confidence()));
  }

  private static Dimension captionSize(Graphics2D g, DetectedShape shape, int t) {
    FontMetrics metrics = g.getFontMetrics();
    int padding = Math.max(2, t / 2);
    return new Dimension(metrics.stringWidth(captionText(shape)) + 2 * padding,
        metrics.getAscent() + metrics.getDescent() + 2 * padding);
  }

  /** A filled caption "label 0.93" at {@code (x, y)}, kept inside the frame's width; returns its size. */
  private static Dimension caption(Graphics2D g, DetectedShape shape, Color colour, int t, int x, int y,
      int width) {
    Dimension size = captionSize(g, shape, t);
    int padding = Math.max(2, t / 2);
    int left = Math.max(0, Math.min(x, width - size.width));
    g.setColor(colour);
    g.fillRect(left, y, size.width, size.height);
    // Black text on light colours, white on dark ones (relative luminance).
    double luminance = 0.2126 * colour.getRed() + 0.7152 * colour.getGreen() + 0.0722 * colour.getBlue();
    g.setColor(luminance > 140 ? Color.BLACK : Color.WHITE);
    g.drawString(captionText(shape), left + padding, y + padding + g.getFontMetrics().getAscent());
    return size;
  }

  /** Writes an image as PNG, creating the directory. */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer in this JDK");
    }
  }
}
