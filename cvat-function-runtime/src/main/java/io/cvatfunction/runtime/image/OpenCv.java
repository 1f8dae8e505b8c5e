package io.cvatfunction.runtime.image;

/**
 * Loads OpenCV's native library once per process: from {@code CVAT_OPENCV_LIBRARY} when set (images ship it
 * pre-extracted), else from the jar of DJL's OpenCV extension, which copies it to a temporary file first.
 */
public final class OpenCv {

  private OpenCv() {}

  /** Loads the library; later calls do nothing. */
  public static void load() {
    Holder.touch();
  }

  private static final class Holder {
    static {
      String library = System.getenv("CVAT_OPENCV_LIBRARY");
      if (library != null && !library.isBlank()) {
        System.load(library);
      } else {
        nu.pattern.OpenCV.loadLocally();
      }
    }

    static void touch() {}
  }
}
