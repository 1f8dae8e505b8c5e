package io.cvatfunction.runtime.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the GPU frame path finds its native libraries, nvJPEG and NVRTC: the file an environment variable names,
 * else the directory of the libtorch CUDA build this process has loaded ({@code cvat:image} puts nvJPEG there;
 * libtorch ships NVRTC there).
 */
final class GpuLibraries {

  private GpuLibraries() {}

  /**
   * The file {@code value} of {@code variable} names, or empty when it is unset or blank.
   *
   * @throws GpuUnavailableException when it names something that is not a file
   */
  static Optional<Path> named(String variable, String value) throws GpuUnavailableException {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      throw new GpuUnavailableException(variable + " names " + value + ", which is not a file", null);
    }
    return Optional.of(file);
  }

  /** The directory of the {@code libtorch_cuda.so} this process has loaded, if it has. */
  static Optional<Path> libtorchDirectory() throws GpuUnavailableException {
    try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
      return maps.map(line -> line.substring(line.lastIndexOf(' ') + 1))
          .filter(file -> file.endsWith("/libtorch_cuda.so"))
          .findFirst()
          .map(file -> Path.of(file).getParent());
    } catch (IOException e) {
      throw new GpuUnavailableException("cannot read /proc/self/maps to find libtorch: " + e, e);
    }
  }
}
