package io.cvatfunction.maven.deploy;

import io.cvatfunction.contract.NuclioFiles;
import io.cvatfunction.maven.nuclio.NuclioException;
import io.cvatfunction.maven.nuclio.NuclioNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A function YAML written by {@code cvat:spec}, with the fields a deploy passes to nuctl.
 *
 * @param name {@code metadata.name}, the Nuclio function id
 * @param handler {@code spec.handler}
 * @param runtime {@code spec.runtime}
 * @param gpu whether {@code spec.resources.limits} asks for {@code nvidia.com/gpu}
 * @param file the YAML
 */
public record FunctionConfig(String name, String handler, String runtime, boolean gpu, Path file) {

  /**
   * Finds the function YAMLs {@code cvat:spec} wrote: in {@code directory} itself for a project with one
   * function, in one sub-directory per function otherwise.
   *
   * @param gpu prefer {@code function-gpu.yaml}; a function without one (it asks for no GPU) uses {@code function.yaml}
   * @param only a function name to deploy alone, or null for all
   * @throws NuclioException when there is none, or {@code only} is not among them
   */
  public static List<FunctionConfig> locate(Path directory, boolean gpu, String only, DeployLog log)
      throws NuclioException {
    List<Path> dirs = new ArrayList<>();
    if (hasYaml(directory)) {
      dirs.add(directory);
    } else if (Files.isDirectory(directory)) {
      try (Stream<Path> children = Files.list(directory)) {
        children.filter(Files::isDirectory).filter(FunctionConfig::hasYaml).sorted().forEach(dirs::add);
      } catch (IOException e) {
        throw new NuclioException("cannot list " + directory + ": " + e.getMessage(), e);
      }
    }
    if (dirs.isEmpty()) {
      throw new NuclioException("no " + NuclioFiles.GPU_FILE + " or " + NuclioFiles.CPU_FILE + " in " + directory
          + ": run cvat:spec first (it runs in process-classes, e.g. mvn package cvat:image cvat:deploy)");
    }
    List<FunctionConfig> functions = new ArrayList<>();
    for (Path dir : dirs) {
      Path file = dir.resolve(gpu ? NuclioFiles.GPU_FILE : NuclioFiles.CPU_FILE);
      if (!Files.isRegularFile(file)) {
        Path other = dir.resolve(gpu ? NuclioFiles.CPU_FILE : NuclioFiles.GPU_FILE);
        if (gpu) {
          log.info("No " + NuclioFiles.GPU_FILE + " in " + dir + " (the function asks for no GPU): deploying " + NuclioFiles.CPU_FILE);
        } else {
          throw new NuclioException("cvat.deploy.gpu=false but " + dir + " has only " + other.getFileName()
              + ": run cvat:spec again");
        }
        file = other;
      }
      functions.add(read(file));
    }
    if (only == null || only.isBlank()) {
      return functions;
    }
    List<FunctionConfig> picked = functions.stream().filter(f -> f.name().equals(only.trim())).toList();
    if (picked.isEmpty()) {
      throw new NuclioException("cvat.deploy.function '" + only + "' is none of this project's functions: "
          + String.join(", ", functions.stream().map(FunctionConfig::name).toList()));
    }
    return picked;
  }

  /**
   * Reads one function YAML.
   *
   * @throws NuclioException when it is not a function config a prebuilt-image deploy can use
   */
  public static FunctionConfig read(Path file) throws NuclioException {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new NuclioException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (YAMLException e) {
      throw new NuclioException(file + " is not valid YAML: " + e.getMessage() + "; run cvat:spec again");
    }
    String again = " in " + file + "; run cvat:spec again";
    Map<?, ?> metadata = map(root, "metadata");
    Map<?, ?> spec = map(root, "spec");
    String name = string(metadata, "name");
    if (name == null) {
      throw new NuclioException("no metadata.name" + again);
    }
    Optional<String> refused = NuclioNames.refusedByNuclio(name);
    if (refused.isPresent()) {
      throw new NuclioException("metadata.name " + refused.get() + again);
    }
    String handler = string(spec, "handler");
    if (handler == null) {
      throw new NuclioException("no spec.handler" + again);
    }
    String runtime = string(spec, "runtime");
    if (!"java".equals(runtime)) {
      throw new NuclioException("spec.runtime is '" + runtime + "', but cvat-function images run the java runtime"
          + again);
    }
    // Any of these makes Nuclio build an image instead of running ours.
    Map<?, ?> build = map(spec, "build");
    for (String field : List.of("image", "path", "functionSourceCode")) {
      if (string(build, field) != null) {
        throw new NuclioException(file + " sets spec.build." + field + ", which makes Nuclio build an image of its "
            + "own instead of deploying the one cvat:image built: remove it (cvat:spec never writes it)");
      }
    }
    Map<?, ?> limits = map(map(spec, "resources"), "limits");
    Object gpus = limits.get("nvidia.com/gpu");
    boolean gpu = gpus != null && !String.valueOf(gpus).trim().matches("0*");
    return new FunctionConfig(name, handler, runtime, gpu, file.toAbsolutePath().normalize());
  }

  private static boolean hasYaml(Path dir) {
    return Files.isRegularFile(dir.resolve(NuclioFiles.GPU_FILE)) || Files.isRegularFile(dir.resolve(NuclioFiles.CPU_FILE));
  }

  private static Map<?, ?> map(Object parent, String key) {
    Object value = parent instanceof Map<?, ?> m ? m.get(key) : null;
    return value instanceof Map<?, ?> m ? m : Map.of();
  }

  private static String string(Map<?, ?> map, String key) {
    Object value = map.get(key);
    return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value).trim();
  }
}
