package io.cvatfunction.maven;

import io.github.classgraph.AnnotationInfo;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the CVAT functions of a project by reading its compiled bytecode: classes annotated with the
 * runtime's {@code @CvatFunction}, matched by name, never loaded. So the plugin works with whatever runtime
 * version the project uses.
 */
public final class FunctionScanner {

  /** The annotation's class name. */
  public static final String ANNOTATION = "io.cvatfunction.runtime.CvatFunction";

  private FunctionScanner() {}

  /**
   * A function class found in the bytecode.
   *
   * @param className the handler class
   * @param name the function id ({@code name} member)
   */
  public record Found(String className, String name) {}

  /** Scans a classes directory (or a jar); an absent one has no functions. */
  public static List<Found> scan(Path classesDirectory) {
    List<Found> found = new ArrayList<>();
    if (!Files.exists(classesDirectory)) {
      return found;
    }
    try (ScanResult result = new ClassGraph()
        .overrideClasspath(classesDirectory.toString())
        .enableClassInfo()
        .enableAnnotationInfo()
        .ignoreClassVisibility()
        .scan()) {
      for (ClassInfo type : result.getClassesWithAnnotation(ANNOTATION)) {
        AnnotationInfo annotation = type.getAnnotationInfo(ANNOTATION);
        Object name = annotation.getParameterValues().getValue("name");
        found.add(new Found(type.getName(), name == null ? "" : name.toString()));
      }
    }
    found.sort((a, b) -> a.className().compareTo(b.className()));
    return found;
  }

  /**
   * Picks the function to serve: the one named by {@code requested} (class or function name), or the only one.
   *
   * @throws IllegalArgumentException saying what to add or which one to choose
   */
  public static Found pick(List<Found> functions, String requested, Path classesDirectory) {
    if (requested != null && !requested.isBlank()) {
      return functions.stream()
          .filter(f -> f.className().equals(requested) || f.name().equals(requested))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no function '" + requested + "' in " + classesDirectory
              + "; found: " + describe(functions)));
    }
    if (functions.isEmpty()) {
      throw new IllegalArgumentException("no class annotated with @CvatFunction in " + classesDirectory
          + ": annotate your handler class, e.g. @CvatFunction(name = \"my-detector\", description = \"...\","
          + " model = \"classpath:models/best.torchscript\") on a class extending YoloDetector");
    }
    if (functions.size() > 1) {
      throw new IllegalArgumentException("several functions in " + classesDirectory + ": " + describe(functions)
          + "; choose one with -Dcvat.run.handler=<class or function name>");
    }
    return functions.get(0);
  }

  private static String describe(List<Found> functions) {
    if (functions.isEmpty()) {
      return "none";
    }
    return String.join(", ", functions.stream().map(f -> f.name() + " (" + f.className() + ")").toList());
  }
}
