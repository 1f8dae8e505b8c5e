package io.cvatfunction.maven.spec;

import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.contract.ModelReference;
import io.cvatfunction.contract.NuclioFiles;
import io.cvatfunction.contract.Skeleton;
import io.cvatfunction.contract.Skeletons;
import io.cvatfunction.contract.YoloTask;
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

  /**
   * What was written, the lint warnings on it, and what the build log should say about how its labels were made.
   *
   * @param files the YAMLs written
   * @param warnings the lint's warnings on them
   * @param notes lines for the build log, e.g. where a pose model's keypoint names came from
   */
  public record Result(List<Path> files, List<Finding> warnings, List<Note> notes) {}

  /**
   * A line for the build log.
   *
   * @param warning whether the user should act on it (logged as a warning) or it only informs
   * @param text the line
   */
  public record Note(boolean warning, String text) {}

  /**
   * Generates, lints and writes the YAMLs.
   *
   * @throws SpecException naming what to fix: no function, a class of no CVAT kind, labels or keypoints that do not
   *     fit the model, a lint error
   */
  public Result generate(Path outputDirectory) throws SpecException, IOException {
    List<FunctionDescriptor> functions;
    try {
      functions = FunctionScanner.scan(classes, runtimeJar);
      FunctionScanner.requireSome(functions, classes);
    } catch (IllegalArgumentException e) {
      throw new SpecException(e.getMessage());
    }
    List<Path> files = new ArrayList<>();
    List<Finding> warnings = new ArrayList<>();
    List<Note> notes = new ArrayList<>();
    for (FunctionDescriptor function : functions) {
      Path modelFile = modelFile(function);
      ModelMetadata model = ModelMetadata.read(modelFile);
      List<Skeleton> skeletons = skeletons(function, model, modelFile, notes);
      Path dir = functions.size() == 1 ? outputDirectory : outputDirectory.resolve(function.name());
      Files.createDirectories(dir);
      if (function.gpus() > 0) {
        files.add(write(dir.resolve(NuclioFiles.GPU_FILE), function, model, skeletons, true, warnings));
      }
      files.add(write(dir.resolve(NuclioFiles.CPU_FILE), function, model, skeletons, false, warnings));
    }
    return new Result(files, warnings, notes);
  }

  /**
   * A pose model's skeleton of each class, by the rule the runtime answers with ({@link Skeletons#resolve}), from the
   * annotation, {@value Skeletons#FILE} beside the model and the model's metadata; none for other tasks. Says where
   * the names came from, or warns when they are mere numbers.
   */
  private static List<Skeleton> skeletons(FunctionDescriptor function, ModelMetadata model, Path modelFile,
      List<Note> notes) throws SpecException, IOException {
    if (model.task() != YoloTask.POSE) {
      return List.of();
    }
    Path file = modelFile.resolveSibling(Skeletons.FILE);
    Optional<String> text = Files.isRegularFile(file)
        ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    Skeletons.Resolved resolved;
    try {
      Skeletons.outsideThreshold(function.keypointThreshold());
      resolved = Skeletons.resolve(function.keypoints(), function.edges(), text, model.keypointNames(),
          model.keypoints().count(), model.names().size());
    } catch (IllegalArgumentException e) {
      throw new SpecException("the keypoints of " + function.className() + " (model " + modelFile + "): "
          + e.getMessage());
    }
    if (resolved.source() == Skeletons.Source.NUMBERS) {
      notes.add(new Note(true, "the " + model.keypoints().count() + " keypoints of " + function.name() + " are named "
          + "1 to " + model.keypoints().count() + " in CVAT, as neither the function nor its model names them: name them,"
          + " in the model's order, with @CvatFunction(keypoints = {...}) or in " + file + " (one name a line, edges "
          + "as 'a - b' lines)"));
    } else {
      notes.add(new Note(false, "Keypoint names of " + function.name() + ": " + resolved.source().description()
          + (resolved.source() == Skeletons.Source.FILE ? " (" + file + ")" : "")));
    }
    return resolved.byClass();
  }

  private Path write(Path file, FunctionDescriptor function, ModelMetadata model, List<Skeleton> skeletons, boolean gpu,
      List<Finding> warnings) throws SpecException, IOException {
    String yaml;
    try {
      yaml = SpecYaml.write(FunctionSpec.build(function, model, skeletons, namespace, gpu));
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
