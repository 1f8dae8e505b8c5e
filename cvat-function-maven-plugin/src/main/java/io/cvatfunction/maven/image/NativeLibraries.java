package io.cvatfunction.maven.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The native libraries an image needs, extracted once from their jars into a cache outside {@code target/}
 * with fixed modification times: jib keys its layer cache on path and mtime, so an unchanged natives layer
 * is never re-tarred, recompressed or re-pushed, even after {@code mvn clean}.
 *
 * <p>Layout of one extraction: {@code libtorch/} (libtorch of one flavour plus DJL's JNI glue, the directory
 * {@code PYTORCH_LIBRARY_PATH} points at) and {@code opencv/} (OpenCV's JNI library).
 */
public final class NativeLibraries {

  /** The mtime every extracted file gets (jib's default for layer entries, too). */
  static final FileTime STABLE_MTIME = FileTime.fromMillis(1000);

  private static final String COMPLETE = ".complete";

  private NativeLibraries() {}

  /**
   * The jars to extract from.
   *
   * @param flavor {@code cpu} or {@code cu121}
   * @param libtorchJar {@code ai.djl.pytorch:pytorch-native-<flavor>:<version>:linux-x86_64}
   * @param jniJar {@code ai.djl.pytorch:pytorch-jni}
   * @param opencvJar {@code org.openpnp:opencv}
   */
  public record Sources(String flavor, Path libtorchJar, Path jniJar, Path opencvJar) {}

  /**
   * Returns the extracted directory for {@code sources}, extracting first when the cache has none.
   *
   * @param cache the cache root, e.g. {@code ~/.cache/cvat-function/natives}
   * @param log progress messages
   */
  public static Path extract(Sources sources, Path cache, Consumer<String> log) throws IOException {
    String key = sources.flavor() + "-" + stem(sources.libtorchJar()) + "-" + stem(sources.jniJar()) + "-"
        + stem(sources.opencvJar());
    Path dir = cache.resolve(key);
    if (Files.exists(dir.resolve(COMPLETE))) {
      log.accept("Native libraries (" + sources.flavor() + ") from the cache: " + dir);
      return dir;
    }
    Files.createDirectories(cache);
    Path partial = Files.createTempDirectory(cache, key + ".partial");
    long start = System.nanoTime();
    long bytes = copy(sources.libtorchJar(), "pytorch/" + sources.flavor() + "/linux-x86_64/", partial.resolve("libtorch"), log);
    bytes += copy(sources.jniJar(), "jnilib/linux-x86_64/" + sources.flavor() + "/", partial.resolve("libtorch"), log);
    bytes += copy(sources.opencvJar(), "nu/pattern/opencv/linux/x86_64/", partial.resolve("opencv"), log);
    if (!Files.exists(partial.resolve("libtorch/libtorch.so")) || !Files.exists(partial.resolve("libtorch/libdjl_torch.so"))) {
      deleteTree(partial);
      throw new IOException("no libtorch or JNI library for flavor " + sources.flavor() + " in "
          + sources.libtorchJar().getFileName() + " / " + sources.jniJar().getFileName());
    }
    Files.createFile(partial.resolve(COMPLETE));
    try {
      Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException
        | java.nio.file.DirectoryNotEmptyException raced) {
      deleteTree(partial); // another build extracted the same libraries meanwhile
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    log.accept(String.format("Extracted %d MB of native libraries (%s) in %.1f s to %s",
        bytes >> 20, sources.flavor(), seconds, dir));
    return dir;
  }

  private static long copy(Path jar, String prefix, Path target, Consumer<String> log) throws IOException {
    Files.createDirectories(target);
    long total = 0;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        if (entry.isDirectory() || !name.startsWith(prefix) || name.substring(prefix.length()).contains("/")
            || !name.contains(".so")) {
          continue;
        }
        Path file = target.resolve(name.substring(prefix.length()));
        try (InputStream in = zip.getInputStream(entry)) {
          total += Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setLastModifiedTime(file, STABLE_MTIME);
        if (entry.getSize() > 100L << 20) {
          log.accept("  " + file.getFileName() + " (" + (entry.getSize() >> 20) + " MB)");
        }
      }
    }
    Files.setLastModifiedTime(target, STABLE_MTIME);
    return total;
  }

  private static String stem(Path jar) {
    String name = jar.getFileName().toString();
    return name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
