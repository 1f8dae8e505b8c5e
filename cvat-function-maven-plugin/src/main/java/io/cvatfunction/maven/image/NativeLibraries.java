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
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The native libraries an image needs, extracted once from their jars into a cache outside {@code target/}
 * with fixed modification times: jib keys its layer cache on path and mtime, so an unchanged natives layer
 * is never re-tarred, recompressed or re-pushed, even after {@code mvn clean}.
 *
 * <p>Layout of one extraction: {@code libtorch/} (libtorch of one flavour plus DJL's JNI glue, the directory
 * {@code PYTORCH_LIBRARY_PATH} points at, and for CUDA {@code libnvjpeg.so.12}, the runtime's GPU JPEG decoder),
 * {@code opencv/} (OpenCV's JNI library) and {@code javacpp/} (the libraries of JavaCPP's native jars: JavaCPP's
 * own and Leptonica's, whose libjpeg-turbo decodes JPEGs on the CPU; JavaCPP would otherwise extract them at every
 * start).
 */
public final class NativeLibraries {

  /** The mtime every extracted file gets (jib's default for layer entries, too). */
  static final FileTime STABLE_MTIME = FileTime.fromMillis(1000);

  /** The folder of an extraction that holds JavaCPP's libraries. */
  static final String JAVACPP = "javacpp";

  /** nvJPEG's file name, in {@code libtorch/} beside the CUDA libraries. */
  public static final String NVJPEG = "libnvjpeg.so.12";

  private static final String COMPLETE = ".complete";
  private static final String NVJPEG_PREFIX = "org/bytedeco/cuda/linux-x86_64/";
  private static final Predicate<String> SHARED_LIBRARY = name -> name.contains(".so");
  /** Where a JavaCPP native jar keeps its libraries: {@code org/bytedeco/<module>/linux-x86_64/}. */
  private static final String JAVACPP_LIBRARY = "org/bytedeco/[^/]+/linux-x86_64/[^/]+\\.so[^/]*";

  private NativeLibraries() {}

  /**
   * The jars to extract from.
   *
   * @param flavor {@code cpu} or {@code cu121}
   * @param libtorchJar {@code ai.djl.pytorch:pytorch-native-<flavor>:<version>:linux-x86_64}
   * @param jniJar {@code ai.djl.pytorch:pytorch-jni}
   * @param opencvJar {@code org.openpnp:opencv}
   * @param nvjpegJar {@code org.bytedeco:cuda-redist:linux-x86_64} ({@link #nvjpegArtifact()}) for a CUDA flavor;
   *     only {@value #NVJPEG} is taken from its 362 MB
   * @param javacppJars the runtime classpath's JavaCPP native jars ({@code org.bytedeco:*:linux-x86_64}:
   *     {@code javacpp}, {@code leptonica})
   */
  public record Sources(String flavor, Path libtorchJar, Path jniJar, Path opencvJar, Optional<Path> nvjpegJar,
      List<Path> javacppJars) {}

  /**
   * The coordinates of the jar that holds nvJPEG, {@code groupId:artifactId:jar:classifier:version}: written at
   * the plugin's build from the parent POM's {@code cuda-redist.version}, so projects need not declare it.
   */
  public static String nvjpegArtifact() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = NativeLibraries.class.getResourceAsStream("natives.properties")) {
      if (in == null) {
        throw new IOException("natives.properties is missing from the plugin jar");
      }
      properties.load(in);
    }
    return properties.getProperty("nvjpeg.artifact");
  }

  /**
   * Returns the extracted directory for {@code sources}, extracting first when the cache has none.
   *
   * @param cache the cache root, e.g. {@code ~/.cache/cvat-function/natives}
   * @param log progress messages
   */
  public static Path extract(Sources sources, Path cache, Consumer<String> log) throws IOException {
    String key = sources.flavor() + "-" + stem(sources.libtorchJar()) + "-" + stem(sources.jniJar()) + "-"
        + stem(sources.opencvJar()) + sources.nvjpegJar().map(jar -> "-" + stem(jar)).orElse("")
        + sources.javacppJars().stream().map(jar -> "-" + stem(jar)).sorted().collect(Collectors.joining());
    Path dir = cache.resolve(key);
    if (Files.exists(dir.resolve(COMPLETE))) {
      log.accept("Native libraries (" + sources.flavor() + ") from the cache: " + dir);
      return dir;
    }
    Files.createDirectories(cache);
    Path partial = Files.createTempDirectory(cache, key + ".partial");
    long start = System.nanoTime();
    Path libtorch = partial.resolve("libtorch");
    long bytes = copy(sources.libtorchJar(), "pytorch/" + sources.flavor() + "/linux-x86_64/", SHARED_LIBRARY, libtorch, log);
    bytes += copy(sources.jniJar(), "jnilib/linux-x86_64/" + sources.flavor() + "/", SHARED_LIBRARY, libtorch, log);
    bytes += copy(sources.opencvJar(), "nu/pattern/opencv/linux/x86_64/", SHARED_LIBRARY, partial.resolve("opencv"), log);
    for (Path jar : sources.javacppJars()) {
      long copied = copy(jar, name -> name.matches(JAVACPP_LIBRARY), partial.resolve(JAVACPP), log);
      if (copied == 0) {
        deleteTree(partial);
        throw new IOException("no libraries under org/bytedeco/<module>/linux-x86_64/ in " + jar.getFileName()
            + ": not a JavaCPP native jar of the layout this plugin knows");
      }
      bytes += copied;
    }
    if (!Files.exists(libtorch.resolve("libtorch.so")) || !Files.exists(libtorch.resolve("libdjl_torch.so"))) {
      deleteTree(partial);
      throw new IOException("no libtorch or JNI library for flavor " + sources.flavor() + " in "
          + sources.libtorchJar().getFileName() + " / " + sources.jniJar().getFileName());
    }
    if (sources.nvjpegJar().isPresent()) {
      Path jar = sources.nvjpegJar().get();
      bytes += copy(jar, NVJPEG_PREFIX, NVJPEG::equals, libtorch, log);
      if (!Files.exists(libtorch.resolve(NVJPEG))) {
        deleteTree(partial);
        throw new IOException("no " + NVJPEG_PREFIX + NVJPEG + " in " + jar.getFileName()
            + ": the nvJPEG jar must be " + nvjpegArtifact());
      }
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

  /** Copies the entries directly under {@code prefix} whose file name is {@code wanted}. */
  private static long copy(Path jar, String prefix, Predicate<String> wanted, Path target, Consumer<String> log)
      throws IOException {
    return copy(jar, name -> name.startsWith(prefix) && !name.substring(prefix.length()).contains("/")
        && wanted.test(name.substring(prefix.length())), target, log);
  }

  /** Copies the file entries whose whole name is {@code wanted}, each by its file name, into {@code target}. */
  private static long copy(Path jar, Predicate<String> wanted, Path target, Consumer<String> log) throws IOException {
    Files.createDirectories(target);
    long total = 0;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        if (entry.isDirectory() || !wanted.test(name)) {
          continue;
        }
        Path file = target.resolve(name.substring(name.lastIndexOf('/') + 1));
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
