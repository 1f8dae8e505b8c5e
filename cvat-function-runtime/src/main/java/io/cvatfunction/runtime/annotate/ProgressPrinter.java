package io.cvatfunction.runtime.annotate;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress as lines a console or Maven's log shows well: frames done, frames/s, the time left and shapes so far, at
 * most one line a second (and always the last).
 */
public final class ProgressPrinter implements AnnotateListener {

  private final PrintStream out;
  private long lastPrinted = Long.MIN_VALUE;

  public ProgressPrinter(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void progress(int framesDone, int framesTotal, int shapes, long elapsedNanos) {
    long now = System.nanoTime();
    if (framesDone < framesTotal && lastPrinted != Long.MIN_VALUE && now - lastPrinted < 1_000_000_000L) {
      return;
    }
    lastPrinted = now;
    out.println(line(framesDone, framesTotal, shapes, elapsedNanos));
  }

  /** One progress line, e.g. {@code [#####.....] 500/1000 frames  95.2 frames/s  ETA 0:05  1234 shapes}. */
  static String line(int framesDone, int framesTotal, int shapes, long elapsedNanos) {
    double seconds = Math.max(elapsedNanos / 1e9, 1e-9);
    double rate = framesDone / seconds;
    int filled = framesTotal == 0 ? 20 : (int) (20L * framesDone / framesTotal);
    String bar = "#".repeat(filled) + ".".repeat(20 - filled);
    long eta = rate > 0 ? Math.round((framesTotal - framesDone) / rate) : 0;
    return String.format(Locale.ROOT, "[%s] %d/%d frames  %.1f frames/s  ETA %d:%02d  %d shapes", bar, framesDone,
        framesTotal, rate, eta / 60, eta % 60, shapes);
  }

  @Override
  public void warning(String message) {
    out.println("WARNING " + message);
  }
}
