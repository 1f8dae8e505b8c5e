package io.cvatfunction.runtime.image;

/** Loads OpenCV's native library (bundled by DJL's OpenCV extension) once per process. */
public final class OpenCv {

  private OpenCv() {}

  /** Loads the library; later calls do nothing. */
  public static void load() {
    Holder.touch();
  }

  private static final class Holder {
    static {
      nu.pattern.OpenCV.loadLocally();
    }

    static void touch() {}
  }
}
