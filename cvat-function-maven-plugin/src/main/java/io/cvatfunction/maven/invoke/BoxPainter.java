package io.cvatfunction.maven.invoke;

import io.cvatfunction.maven.nuclio.NuclioException;
import java.awt.BasicStroke;
import java.awt.Color;
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
 * label's colour, with a tag "label 0.93" above it. Runs headless (Java2D without a display).
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
   * @param tagged whether the label tags were drawn: false on a JDK without any font (a slim headless image
   *     without fontconfig), where only the outlines are drawn
   */
  public record Painted(BufferedImage image, boolean tagged) {}

  /** A copy of {@code frame} (as RGB) with the shapes drawn on it. */
  public static Painted paint(BufferedImage frame, List<DetectedShape> shapes) {
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
        g.setColor(colours.get(shape.label()));
        if (shape.outlined()) {
          polygon(g, shape.points(), t);
        } else {
          box(g, shape.box(), t);
        }
      }
      // Tags after all outlines, so no outline crosses a tag's text.
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      try {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, Math.round(Math.min(width, height) / 60f))));
        for (DetectedShape shape : shapes) {
          tag(g, shape, colours.get(shape.label()), t, width);
        }
      } catch (LinkageError | InternalError | NullPointerException noFonts) {
        // what the JDK's font configuration throws when fontconfig or every font is missing
        tagged = false;
      }
    } finally {
      g.dispose();
    }
    return new Painted(image, tagged);
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

  private static void tag(Graphics2D g, DetectedShape shape, Color colour, int t, int width) {
    String text = shape.label() + (shape.confidence() == null ? ""
        : String.format(Locale.ROOT, " %.2f", shape.confidence()));
    FontMetrics metrics = g.getFontMetrics();
    int padding = Math.max(2, t / 2);
    int tagWidth = metrics.stringWidth(text) + 2 * padding;
    int tagHeight = metrics.getAscent() + metrics.getDescent() + 2 * padding;
    double[] box = shape.box();
    int x = (int) Math.round(box[0]) - t / 2;
    int top = (int) Math.round(box[1]) - t / 2;
    // Above the box when there is room, else just inside its top edge.
    int y = top - tagHeight >= 0 ? top - tagHeight : top + t;
    x = Math.max(0, Math.min(x, width - tagWidth));
    g.setColor(colour);
    g.fillRect(x, y, tagWidth, tagHeight);
    // Black text on light colours, white on dark ones (relative luminance).
    double luminance = 0.2126 * colour.getRed() + 0.7152 * colour.getGreen() + 0.0722 * colour.getBlue();
    g.setColor(luminance > 140 ? Color.BLACK : Color.WHITE);
    g.drawString(text, x + padding, y + padding + metrics.getAscent());
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
