package io.cvatfunction.maven.spec;

import io.cvatfunction.contract.ModelReference;
import io.cvatfunction.contract.NuclioFiles;
import io.cvatfunction.maven.lint.Finding;
import io.cvatfunction.maven.lint.NuclioLint;
import io.cvatfunction.maven.scan.FunctionDescriptor;
import io.cvatfunction.maven.scan.FunctionScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes {@code function-gpu.yaml} and {@code function.yaml} for every function of a project, each linted
 * before it is written. One function: straight into the output directory; several: one sub-directory per
 * function, named by the function.
 *
 * @param classes the compiled classes (with resources, as after {@code process-classes})
 * @param runtimeJar the runtime jar, for annotation defaults
 * @param basedir the project directory, for model paths that are not {@code classpath:}
 * @param namespace {@code metadata.namespace}
 */
public record SpecGenerator(Path classes, Path runtimeJar, Path basedir, String namespace) {

  /** What was written, and the lint warnings on it. */
  public record Result(List<Path> files, List<Finding> warnings) {}

  /**
   * Generates, lints and writes the YAMLs.
   *
   * @throws SpecException naming what to fix: no function, labels that do not fit the model, a lint error
   */
  public Result generate(Path outputDirectory) throws SpecException, IOException {
    List<FunctionDescriptor> functions = FunctionScanner.scan(classes, runtimeJar);
    try {
      FunctionScanner.requireSome(functions, classes);
    } catch (IllegalArgumentException e) {
      throw new SpecException(e.getMessage());
    }
    List<Path> files = new ArrayList<>();
    List<Finding> warnings = new ArrayList<>();
    for (FunctionDescriptor function : functions) {
      ModelInfo model = ModelInfo.read(modelFile(function));
      Path dir = functions.size() == 1 ? outputDirectory : outputDirectory.resolve(function.name());
      Files.createDirectories(dir);
      if (function.gpus() > 0) {
        files.add(write(dir.resolve(NuclioFiles.GPU_FILE), function, model, true, warnings));
      }
      files.add(write(dir.resolve(NuclioFiles.CPU_FILE), function, model, false, warnings));
    }
    return new Result(files, warnings);
  }

  private Path write(Path file, FunctionDescriptor function, ModelInfo model, boolean gpu, List<Finding> warnings)
      throws SpecException, IOException {
    String yaml;
    try {
      yaml = SpecYaml.write(FunctionSpec.build(function, model, namespace, gpu));
    } catch (IllegalArgumentException e) {
      throw new SpecException(e.getMessage());
    }
    List<Finding> findings = NuclioLint.lint(file.toString(), yaml);
    // What cvat:spec writes deploys on every platform: a name the lint only warns about for Kubernetes fails here.
    List<String> errors = findings.stream()
        .filter(f -> f.severity() == Finding.Severity.ERROR || f.rule().equals(NuclioLint.NAME_KUBE))
        .map(Finding::toString).toList();
    if (!errors.isEmpty()) {
      throw new SpecException("the generated config of " + function.className() + " fails the lint; fix "
          + "@CvatFunction:\n  " + String.join("\n  ", errors));
    }
    findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).forEach(warnings::add);
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private Path modelFile(FunctionDescriptor function) throws SpecException {
    String reference = function.model();
    Optional<String> resource = ModelReference.resource(reference);
    Path file = resource.isPresent() ? classes.resolve(resource.get()) : basedir.resolve(reference);
    if (!Files.isRegularFile(file)) {
      throw new SpecException("the model " + reference + " of " + function.className() + " is not at " + file
          + (resource.isPresent()
              ? ": put it under src/main/resources/" + resource.get()
              : ": fix @CvatFunction(model)"));
    }
    return file;
  }

  /** A problem in the project that stops the spec from being written. */
  public static final class SpecException extends Exception {
    private static final long serialVersionUID = 1L;

    SpecException(String message) {
      super(message);
    }
  }
}
