package io.cvatfunction.maven.run;

import io.cvatfunction.contract.ModelReference;
import io.cvatfunction.maven.scan.FunctionScanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code cvat:run}'s parameters, as given; {@link #options} checks them, naming the parameter that is wrong, and
 * turns them into the server's command line.
 *
 * @param port {@code cvat.run.port}
 * @param healthPort {@code cvat.run.healthPort}
 * @param device {@code cvat.run.device}: {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param model {@code cvat.model}: a model to serve instead of the annotation's, null or blank when unset
 * @param handler {@code cvat.run.handler}: the function to serve when there are several, null when unset
 * @param jvmArgs {@code cvat.run.jvmArgs}, null when unset
 */
public record RunRequest(int port, int healthPort, String device, String model, String handler, List<String> jvmArgs) {

  /** The handler parameter, named when the project has several functions. */
  static final String HANDLER = "cvat.run.handler";

  /**
   * What to start.
   *
   * @param javaExecutable the {@code java} to run the server with
   * @param classpath the project's runtime classpath
   * @param classes the project's compiled classes, where the function is found
   * @param runtimeJar the {@code cvat-function-runtime} jar, for {@code @CvatFunction}'s defaults
   * @param basedir the project directory, against which a model path is resolved
   * @throws IllegalArgumentException naming the parameter that is wrong and what it takes
   */
  public FunctionProcess.Options options(Path javaExecutable, List<String> classpath, Path classes, Path runtimeJar,
      Path basedir) {
    require(port > 0 && port <= 65535, "cvat.run.port must be in 1..65535, got " + port);
    require(healthPort > 0 && healthPort <= 65535, "cvat.run.healthPort must be in 1..65535, got " + healthPort);
    require(port != healthPort, "cvat.run.port and cvat.run.healthPort must differ, both are " + port);
    require(device != null && device.matches("auto|cpu|gpu|gpu:\\d+"),
        "cvat.run.device must be auto, cpu, gpu or gpu:N, got '" + device + "'");
    String handlerClass = FunctionScanner.find(classes, runtimeJar, handler, HANDLER).className();
    return new FunctionProcess.Options(javaExecutable, classpath, handlerClass, port, healthPort, device,
        model(basedir), jvmArgs == null ? List.of() : jvmArgs);
  }

  /** The model override: a {@code classpath:} reference as it is, a file as an absolute path that exists. */
  private Optional<String> model(Path basedir) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    if (ModelReference.resource(model).isPresent()) {
      return Optional.of(model);
    }
    Path file = basedir.resolve(model).normalize();
    require(Files.isRegularFile(file), "cvat.model " + file + " does not exist; give a TorchScript file exported "
        + "by Ultralytics (yolo export model=best.pt format=torchscript)");
    return Optional.of(file.toString());
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
