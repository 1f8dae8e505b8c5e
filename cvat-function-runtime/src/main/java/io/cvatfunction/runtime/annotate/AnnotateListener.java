package io.cvatfunction.runtime.annotate;

/** What a run reports while it works: progress after each chunk, and requests repeated after a fault. */
public interface AnnotateListener {

  /**
   * A chunk's annotations were uploaded (or, in a dry run, kept).
   *
   * @param framesDone frames annotated so far in this run
   * @param framesTotal frames this run annotates
   * @param shapes shapes and tags so far
   * @param elapsedNanos since the first chunk was asked for
   */
  void progress(int framesDone, int framesTotal, int shapes, long elapsedNanos);

  /** A request failed and is repeated, or something was left out; the run goes on. */
  void warning(String message);
}
