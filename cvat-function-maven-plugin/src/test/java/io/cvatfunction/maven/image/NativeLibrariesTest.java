package io.cvatfunction.maven.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction from small jars laid out like DJL's, openpnp's and JavaCPP's cuda-redist. */
class NativeLibrariesTest {

  private static final byte[] NVJPEG_BYTES = "nvjpeg for CUDA 12".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  private Path cache;
  private Path libtorchJar;
  private Path jniJar;
  private Path opencvJar;
  private List<Path> javacppJars;
  private final List<String> log = new ArrayList<>();

  private static Path jar(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A cuda-redist jar: nvJPEG among other CUDA libraries, headers and JavaCPP metadata. */
  private Path cudaRedist(String fileName, boolean withNvjpeg) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("META-INF/native-image/linux-x86_64/jninvjpeg/reflect-config.json", bytes("{}"));
    entries.put("org/bytedeco/cuda/linux-x86_64/libcudart.so.12", bytes("cudart"));
    entries.put("org/bytedeco/cuda/linux-x86_64/libnppc.so.12", bytes("npp"));
    entries.put("org/bytedeco/cuda/linux-x86_64/include/nvjpeg.h", bytes("header"));
    entries.put("org/bytedeco/cuda/linux-x86_64/stubs/" + NativeLibraries.NVJPEG, bytes("a stub, not the library"));
    if (withNvjpeg) {
      entries.put("org/bytedeco/cuda/linux-x86_64/" + NativeLibraries.NVJPEG, NVJPEG_BYTES);
    }
    return jar(dir.resolve(fileName), entries);
  }

  @BeforeEach
  void jars() throws IOException {
    cache = dir.resolve("cache");
    libtorchJar = jar(dir.resolve("pytorch-native-cu121-2.3.1-linux-x86_64.jar"), Map.of(
        "pytorch/cu121/linux-x86_64/libtorch.so", bytes("torch"),
        "pytorch/cu121/linux-x86_64/libc10_cuda.so", bytes("c10")));
    jniJar = jar(dir.resolve("pytorch-jni-2.3.1-0.29.0.jar"), Map.of(
        "jnilib/linux-x86_64/cu121/libdjl_torch.so", bytes("jni cu121"),
        "jnilib/linux-x86_64/cpu/libdjl_torch.so", bytes("jni cpu")));
    opencvJar = jar(dir.resolve("opencv-4.9.0-0.jar"), Map.of(
        "nu/pattern/opencv/linux/x86_64/libopencv_java490.so", bytes("opencv")));
    Map<String, byte[]> leptonica = new LinkedHashMap<>();
    leptonica.put("META-INF/native-image/linux-x86_64/jnileptonica/jni-config.json", bytes("{}"));
    leptonica.put("org/bytedeco/leptonica/linux-x86_64/libgomp.so.1", bytes("gomp"));
    leptonica.put("org/bytedeco/leptonica/linux-x86_64/libleptonica.so.6", bytes("leptonica"));
    leptonica.put("org/bytedeco/leptonica/linux-x86_64/libjnileptonica.so", bytes("jni leptonica"));
    leptonica.put("org/bytedeco/leptonica/linux-x86_64/include/leptonica/allheaders.h", bytes("header"));
    leptonica.put("org/bytedeco/leptonica/linux-x86_64/lib/libsharpyuv.a", bytes("static"));
    leptonica.put("org/bytedeco/leptonica/linux-x86_64/lib/pkgconfig/lept.pc", bytes("pkg-config"));
    javacppJars = List.of(jar(dir.resolve("javacpp-1.5.14-linux-x86_64.jar"), Map.of(
        "org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so", bytes("jni javacpp"))),
        jar(dir.resolve("leptonica-1.87.0-1.5.14-linux-x86_64.jar"), leptonica));
  }

  private Path extract(Optional<Path> nvjpegJar) throws IOException {
    return NativeLibraries.extract(new NativeLibraries.Sources("cu121", libtorchJar, jniJar, opencvJar, nvjpegJar,
        javacppJars), cache, log::add);
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void takesOnlyNvjpegFromTheCudaJarIntoTheLibtorchDirectoryWithAStableMtime() throws IOException {
    Path natives = extract(Optional.of(cudaRedist("cuda-redist-12.9-9.10-1.5.12-linux-x86_64.jar", true)));

    Path libtorch = natives.resolve("libtorch");
    assertEquals(List.of("libc10_cuda.so", "libdjl_torch.so", NativeLibraries.NVJPEG, "libtorch.so"), names(libtorch));
    assertArrayEquals(NVJPEG_BYTES, Files.readAllBytes(libtorch.resolve(NativeLibraries.NVJPEG)));
    assertArrayEquals(bytes("jni cu121"), Files.readAllBytes(libtorch.resolve("libdjl_torch.so")));
    assertEquals(List.of("libopencv_java490.so"), names(natives.resolve("opencv")));
    // JavaCPP's libraries side by side, without the headers, static libraries and build files its jars carry too
    assertEquals(List.of("libgomp.so.1", "libjnijavacpp.so", "libjnileptonica.so", "libleptonica.so.6"),
        names(natives.resolve(NativeLibraries.JAVACPP)));
    assertArrayEquals(bytes("leptonica"), Files.readAllBytes(natives.resolve(NativeLibraries.JAVACPP)
        .resolve("libleptonica.so.6")));
    try (Stream<Path> files = Files.walk(natives.resolve("libtorch"))) {
      for (Path file : files.toList()) {
        assertEquals(NativeLibraries.STABLE_MTIME, Files.getLastModifiedTime(file), file.toString());
      }
    }
  }

  @Test
  void theCacheKeyChangesWithTheNvjpegJar() throws IOException {
    Path cuda129 = cudaRedist("cuda-redist-12.9-9.10-1.5.12-linux-x86_64.jar", true);
    Path first = extract(Optional.of(cuda129));
    Files.writeString(first.resolve("libtorch/marker"), "extracted once");

    Path again = extract(Optional.of(cuda129));
    assertEquals(first, again);
    assertTrue(Files.exists(again.resolve("libtorch/marker")), "the second build uses the cache");
    assertTrue(log.get(log.size() - 1).contains("from the cache"), log.toString());

    Path other = extract(Optional.of(cudaRedist("cuda-redist-12.6-9.5-1.5.11-linux-x86_64.jar", true)));
    assertNotEquals(first, other);
    assertFalse(Files.exists(other.resolve("libtorch/marker")));

    Path without = extract(Optional.empty());
    assertNotEquals(first, without);
    assertFalse(Files.exists(without.resolve("libtorch").resolve(NativeLibraries.NVJPEG)));

    javacppJars = List.of();
    Path noJavacpp = extract(Optional.of(cuda129));
    assertNotEquals(first, noJavacpp, "the JavaCPP jars are part of the key");
    assertFalse(Files.exists(noJavacpp.resolve(NativeLibraries.JAVACPP)));
  }

  @Test
  void aJavacppJarWithoutLibrariesIsAClearErrorAndLeavesNoPartialExtraction() throws IOException {
    javacppJars = List.of(jar(dir.resolve("leptonica-9.9-linux-x86_64.jar"), Map.of(
        "org/bytedeco/leptonica/linux-x86_64/lib/libleptonica.so.6", bytes("moved one folder down"))));

    IOException e = assertThrows(IOException.class, () -> extract(Optional.empty()));

    assertTrue(e.getMessage().contains("no libraries under org/bytedeco/<module>/linux-x86_64/ in "
        + "leptonica-9.9-linux-x86_64.jar"), e.getMessage());
    assertEquals(List.of(), names(cache), "neither a complete nor a partial extraction");
  }

  @Test
  void aCudaJarWithoutNvjpegIsAClearErrorAndLeavesNoPartialExtraction() throws IOException {
    Path empty = cudaRedist("cuda-redist-0.0-linux-x86_64.jar", false);

    IOException e = assertThrows(IOException.class, () -> extract(Optional.of(empty)));

    assertTrue(e.getMessage().contains("org/bytedeco/cuda/linux-x86_64/libnvjpeg.so.12")
        && e.getMessage().contains("cuda-redist-0.0-linux-x86_64.jar")
        && e.getMessage().contains(NativeLibraries.nvjpegArtifact()), e.getMessage());
    assertEquals(List.of(), names(cache), "neither a complete nor a partial extraction");
  }

  @Test
  void theNvjpegCoordinatesCarryTheParentPomsVersion() throws IOException {
    DefaultArtifact artifact = new DefaultArtifact(NativeLibraries.nvjpegArtifact());

    assertEquals("org.bytedeco:cuda-redist:linux-x86_64", artifact.getGroupId() + ":" + artifact.getArtifactId() + ":"
        + artifact.getClassifier());
    assertEquals("jar", artifact.getExtension());
    assertTrue(artifact.getVersion().matches("12\\.\\d+-[0-9.]+-[0-9.]+"), "a CUDA 12 cuda-redist, filtered: "
        + artifact.getVersion());
  }
}
