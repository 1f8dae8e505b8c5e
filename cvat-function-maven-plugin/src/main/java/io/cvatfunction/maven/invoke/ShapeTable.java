package io.cvatfunction.maven.invoke;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shapes of an answer as a plain-text table: number, label, confidence, type and where it is: the box, with its
 * rotation for a turned rectangle, a skeleton's keypoints' bounds with how many of them CVAT shows, "-" for a tag
 * (it is the whole frame's).
 */
public final class ShapeTable {

  private ShapeTable() {}

  /** One line per row, the header first; a single line saying so when there are no shapes. */
  public static List<String> format(List<DetectedShape> shapes) {
    if (shapes.isEmpty()) {
      return List.of("no shapes (nothing above the threshold)");
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"#", "label", "confidence", "type", "box (xtl, ytl, xbr, ybr)"});
    for (int i = 0; i < shapes.size(); i++) {
      DetectedShape shape = shapes.get(i);
      rows.add(new String[] {
          Integer.toString(i + 1),
          shape.label(),
          shape.confidence() == null ? "-" : String.format(Locale.ROOT, "%.3f", shape.confidence()),
          shape.type(),
          where(shape)});
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        // numbers right-aligned, text left-aligned; the last column is not padded
        boolean number = c == 0 || c == 2;
        String cell = c == row.length - 1 ? row[c]
            : number ? " ".repeat(widths[c] - row[c].length()) + row[c] : row[c] + " ".repeat(widths[c] - row[c].length());
        line.append(c == 0 ? "" : "  ").append(cell);
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static String where(DetectedShape shape) {
    if (shape.tag()) {
      return "-";
    }
    double[] box = shape.box();
    String where = String.format(Locale.ROOT, "%.0f, %.0f, %.0f, %.0f", box[0], box[1], box[2], box[3]);
    if (shape.rotated()) {
      return where + String.format(Locale.ROOT, " rotated %.1f deg", shape.rotation());
    }
    if (!shape.keypoints().isEmpty()) {
      return where + "; " + shape.visible().size() + "/" + shape.keypoints().size() + " visible";
    }
    return where;
  }
}
