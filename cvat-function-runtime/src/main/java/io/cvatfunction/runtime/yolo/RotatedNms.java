package io.cvatfunction.runtime.yolo;

import java.util.Arrays;

/**
 * Ultralytics' NMS for rotated boxes ({@code nms_rotated}): boxes sorted by score, overlap measured by ProbIoU (each
 * box a Gaussian; one minus the Hellinger distance of two, {@code batch_probiou}), and "fast NMS": a box is dropped
 * when any higher-scoring box of its class, kept or itself dropped, overlaps it at the threshold or more. That can
 * drop more than greedy NMS would; it is what Ultralytics predicts with. Classes never suppress each other (Ultralytics
 * offsets them 7680 pixels apart, where ProbIoU is 0).
 */
final class RotatedNms {

  private static final double EPS = 1e-7;

  private RotatedNms() {}

  /**
   * Picks the boxes to keep.
   *
   * @param boxes {@code cx, cy, w, h, angle} per candidate
   * @param scores one per candidate
   * @param classes one per candidate
   * @param count how many candidates
   * @param iouThreshold drop at this ProbIoU or more
   * @param maxCandidates only this many top-scoring candidates enter NMS ({@code max_nms})
   * @param maxKept at most this many are kept ({@code max_det})
   * @return kept candidate indices, highest score first
   */
  static int[] run(float[] boxes, float[] scores, int[] classes, int count, float iouThreshold, int maxCandidates,
      int maxKept) {
    Integer[] order = Nms.byScore(scores, count);
    int n = Math.min(count, maxCandidates);
    Gaussian[] gaussians = new Gaussian[n];
    for (int i = 0; i < n; i++) {
      gaussians[i] = Gaussian.of(boxes, order[i]);
    }
    int[] kept = new int[Math.min(n, maxKept)];
    int keptCount = 0;
    for (int j = 0; j < n && keptCount < kept.length; j++) {
      boolean dropped = false;
      for (int i = 0; i < j && !dropped; i++) {
        dropped = classes[order[i]] == classes[order[j]] && gaussians[i].probIou(gaussians[j]) >= iouThreshold;
      }
      if (!dropped) {
        kept[keptCount++] = order[j];
      }
    }
    return Arrays.copyOf(kept, keptCount);
  }

  /** ProbIoU of two {@code cx, cy, w, h, angle} boxes, as Ultralytics' {@code batch_probiou}. */
  static double probIou(float[] a, float[] b) {
    return Gaussian.of(a, 0).probIou(Gaussian.of(b, 0));
  }

  /**
   * A box as a Gaussian: its centre and the covariance of a uniform box of its size, turned by its angle ({@code
   * _get_covariance_matrix}).
   */
  private record Gaussian(double x, double y, double a, double b, double c) {

    static Gaussian of(float[] boxes, int i) {
      int o = 5 * i;
      double w2 = (double) boxes[o + 2] * boxes[o + 2] / 12;
      double h2 = (double) boxes[o + 3] * boxes[o + 3] / 12;
      double cos = Math.cos(boxes[o + 4]);
      double sin = Math.sin(boxes[o + 4]);
      return new Gaussian(boxes[o], boxes[o + 1], w2 * cos * cos + h2 * sin * sin, w2 * sin * sin + h2 * cos * cos,
          (w2 - h2) * cos * sin);
    }

    double probIou(Gaussian o) {
      double a = this.a + o.a;
      double b = this.b + o.b;
      double c = this.c + o.c;
      double dx = x - o.x;
      double dy = y - o.y;
      double det = a * b - c * c;
      double t1 = (a * dy * dy + b * dx * dx) / (det + EPS) * 0.25;
      double t2 = (c * -dx * dy) / (det + EPS) * 0.5;
      double t3 = Math.log(det / (4 * Math.sqrt(Math.max(0, this.a * this.b - this.c * this.c)
          * Math.max(0, o.a * o.b - o.c * o.c)) + EPS) + EPS) * 0.5;
      double distance = Math.max(EPS, Math.min(100.0, t1 + t2 + t3));
      return 1 - Math.sqrt(1.0 - Math.exp(-distance) + EPS);
    }
  }
}
