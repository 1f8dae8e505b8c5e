package io.cvatfunction.runtime.image;

import org.opencv.core.Core;

/**
 * Loads OpenCV's native library once per process: from {@code CVAT_OPENCV_LIBRARY} when set (images ship it
 * pre-extracted), else from the jar of DJL's OpenCV extension, which copies it to a temporary file first.
 * OpenCV's own thread pool is turned off: the server's workers already run requests in parallel, and one
 * OpenCV thread per request decodes faster than every request fanning out over all cores.
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
      Core.setNumThreads(1);
    }

    static void touch() {}
  }
}
