package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;

/** OpenCV's library, loaded from the extension's jar, leaves no copy in the temporary folder behind. */
class OpenCvTest {

  @Test
  void theTemporaryCopyIsGoneOnceLoaded() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "Linux only: elsewhere the loader deletes it on exit");
    assumeTrue(System.getenv("CVAT_OPENCV_LIBRARY") == null, "loaded from CVAT_OPENCV_LIBRARY: no copy is made");
    OpenCv.load();
    String library = System.mapLibraryName(Core.NATIVE_LIBRARY_NAME);
    List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(line -> line.contains("/" + library)).toList();
    assertFalse(mapped.isEmpty(), "OpenCV's library is mapped");
    for (String line : mapped) {
      assertTrue(line.endsWith(" (deleted)"), "the mapped file is deleted: " + line);
      Path file = Path.of(line.substring(line.indexOf('/'), line.length() - " (deleted)".length()));
      for (Path folder = file.getParent(); folder != null; folder = folder.getParent()) {
        if (folder.getFileName() != null && folder.getFileName().toString().startsWith("opencv_openpnp")) {
          assertFalse(Files.exists(folder), "the loader's folder is gone: " + folder);
        }
      }
    }
  }
}
