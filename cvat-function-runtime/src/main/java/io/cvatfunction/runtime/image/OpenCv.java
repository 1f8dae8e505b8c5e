package io.cvatfunction.runtime.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.opencv.core.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads OpenCV's native library once per process: from {@code CVAT_OPENCV_LIBRARY} when set (images ship it
 * pre-extracted), else from the jar of DJL's OpenCV extension, which copies it to a temporary folder first. That
 * copy is deleted as soon as it is loaded (a loaded library needs no file on Linux), so a process killed with
 * {@code kill -9} leaves no 60 MB folder behind. OpenCV's own thread pool is turned off: the server's workers
 * already run requests in parallel, and one OpenCV thread per request decodes faster than every request fanning
 * out over all cores.
 */
public final class OpenCv {

  private static final Logger LOG = LoggerFactory.getLogger(OpenCv.class);

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
        deleteLoadedCopy();
      }
      Core.setNumThreads(1);
    }

    /** Deletes the temporary copy the loader made of the library, found among this process's mappings. */
    private static void deleteLoadedCopy() {
      Path maps = Path.of("/proc/self/maps");
      if (!Files.isReadable(maps)) {
        return; // not Linux: the loader's own delete-on-exit stays the only clean-up
      }
      String library = System.mapLibraryName(Core.NATIVE_LIBRARY_NAME);
      Path temporary = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
      try (Stream<String> lines = Files.lines(maps)) {
        lines.map(line -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
            .filter(path -> path.endsWith("/" + library))
            .map(Path::of)
            .filter(path -> path.startsWith(temporary) && path.getNameCount() > temporary.getNameCount())
            // the loader's folder, opencv_openpnp<random>, holds the library under nu/pattern/opencv/<os>/<arch>/
            .map(path -> temporary.resolve(path.getName(temporary.getNameCount())))
            .filter(folder -> folder.getFileName().toString().startsWith("opencv_openpnp"))
            .distinct()
            .forEach(OpenCv.Holder::deleteTree);
      } catch (IOException | UncheckedIOException e) {
        LOG.warn("cannot delete the temporary copy of OpenCV's library: {}", e.toString());
      }
    }

    private static void deleteTree(Path folder) {
      try (Stream<Path> paths = Files.walk(folder)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException | UncheckedIOException e) {
        LOG.warn("cannot delete the temporary copy of OpenCV's library in {}: {}", folder, e.toString());
      }
    }

    static void touch() {}
  }
}
