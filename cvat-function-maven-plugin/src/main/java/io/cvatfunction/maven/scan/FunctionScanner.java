package io.cvatfunction.maven.scan;

import io.cvatfunction.contract.FunctionKind;
import io.github.classgraph.AnnotationEnumValue;
import io.github.classgraph.AnnotationInfo;
import io.github.classgraph.AnnotationParameterValueList;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the CVAT functions of a project by reading its compiled bytecode: classes annotated with the
 * runtime's {@code @CvatFunction}, matched by name, never loaded. So the plugin works with whatever runtime
 * version the project uses. The runtime jar is scanned too, so annotation defaults are known and a function's
 * kind can be read from the runtime interface its class implements, through its superclasses.
 */
public final class FunctionScanner {

  /** The annotation's class name. */
  public static final String ANNOTATION = "io.cvatfunction.runtime.CvatFunction";

  private FunctionScanner() {}

  /**
   * Scans a classes directory (or jar) for functions.
   *
   * @param classes the project's compiled classes; an absent directory has no functions
   * @param runtimeJar the {@code cvat-function-runtime} jar (or classes) the project compiles against
   */
  public static List<FunctionDescriptor> scan(Path classes, Path runtimeJar) {
    List<FunctionDescriptor> found = new ArrayList<>();
    if (!Files.exists(classes)) {
      return found;
    }
    try (ScanResult result = new ClassGraph()
        .overrideClasspath(classes.toString(), runtimeJar.toString())
        .enableClassInfo()
        .enableAnnotationInfo()
        .ignoreClassVisibility()
        .scan()) {
      ClassInfo annotation = result.getClassInfo(ANNOTATION);
      if (annotation == null || annotation.isExternalClass()) {
        throw new IllegalArgumentException(runtimeJar + " does not hold " + ANNOTATION
            + ": depend on io.cvatfunction:cvat-function-runtime");
      }
      for (ClassInfo type : result.getClassesWithAnnotation(ANNOTATION)) {
        if (runtimeJar.toFile().equals(type.getClasspathElementFile())) {
          continue;
        }
        found.add(describe(type.getName(), kind(type, result, runtimeJar),
            type.getAnnotationInfo(ANNOTATION).getParameterValues(true)));
      }
    }
    found.sort((a, b) -> a.className().compareTo(b.className()));
    return found;
  }

  /**
   * The kind whose runtime interface the class implements.
   *
   * @throws IllegalArgumentException when it implements none, or the runtime has none of the interfaces
   */
  private static FunctionKind kind(ClassInfo type, ScanResult result, Path runtimeJar) {
    for (FunctionKind kind : FunctionKind.values()) {
      if (type.implementsInterface(kind.handlerInterface())) {
        return kind;
      }
    }
    if (Arrays.stream(FunctionKind.values()).allMatch(k -> result.getClassInfo(k.handlerInterface()) == null)) {
      throw new IllegalArgumentException(runtimeJar + " holds none of " + Arrays.stream(FunctionKind.values())
          .map(FunctionKind::handlerInterface).toList() + ", so the kind of " + type.getName() + " cannot be read: "
          + "depend on the io.cvatfunction:cvat-function-runtime of this plugin's version");
    }
    throw new IllegalArgumentException(type.getName() + " is annotated with @CvatFunction but serves no CVAT function "
        + "kind: extend YoloDetector (a CVAT detector)");
  }

  private static FunctionDescriptor describe(String className, FunctionKind kind, AnnotationParameterValueList values) {
    Map<String, String> env = new LinkedHashMap<>();
    for (AnnotationInfo variable : annotations(values.getValue("env"))) {
      AnnotationParameterValueList v = variable.getParameterValues(true);
      env.put(string(v.getValue("name")), string(v.getValue("value")));
    }
    List<FunctionDescriptor.LabelOverride> labels = new ArrayList<>();
    for (AnnotationInfo label : annotations(values.getValue("labels"))) {
      AnnotationParameterValueList v = label.getParameterValues(true);
      List<FunctionDescriptor.AttributeSpec> attributes = new ArrayList<>();
      for (AnnotationInfo attribute : annotations(v.getValue("attributes"))) {
        AnnotationParameterValueList a = attribute.getParameterValues(true);
        attributes.add(new FunctionDescriptor.AttributeSpec(string(a.getValue("name")),
            enumName(a.getValue("inputType")), strings(a.getValue("values")), string(a.getValue("defaultValue"))));
      }
      labels.add(new FunctionDescriptor.LabelOverride(string(v.getValue("model")), string(v.getValue("name")),
          Boolean.TRUE.equals(v.getValue("drop")), attributes));
    }
    return new FunctionDescriptor(
        className,
        string(values.getValue("name")),
        string(values.getValue("displayName")),
        string(values.getValue("description")),
        kind.cvatName(),
        string(values.getValue("model")),
        labels,
        ((Number) values.getValue("gpus")).intValue(),
        ((Number) values.getValue("workers")).intValue(),
        string(values.getValue("eventTimeout")),
        ((Number) values.getValue("workerAvailabilityTimeoutMillis")).longValue(),
        ((Number) values.getValue("maxRequestBodySize")).longValue(),
        env,
        values.getValue("segments") == null ? "mask" : enumName(values.getValue("segments")),
        string(values.getValue("confidenceAttribute")),
        strings(values.getValue("keypoints")),
        strings(values.getValue("edges")),
        ((Number) values.getValue("keypointThreshold")).floatValue());
  }

  private static String string(Object value) {
    return value == null ? "" : value.toString();
  }

  private static String enumName(Object value) {
    return ((AnnotationEnumValue) value).getValueName().toLowerCase(Locale.ROOT);
  }

  private static List<String> strings(Object value) {
    return value == null ? List.of() : Arrays.stream((Object[]) value).map(Object::toString).toList();
  }

  private static List<AnnotationInfo> annotations(Object value) {
    return value == null ? List.of() : Arrays.stream((Object[]) value).map(AnnotationInfo.class::cast).toList();
  }

  /**
   * The function to serve or package: {@link #scan} then {@link #pick}.
   *
   * @param parameter the goal's handler parameter, e.g. {@code cvat.run.handler}
   * @throws IllegalArgumentException saying what to add or which one to choose
   */
  public static FunctionDescriptor find(Path classes, Path runtimeJar, String requested, String parameter) {
    return pick(scan(classes, runtimeJar), requested, parameter, classes);
  }

  /**
   * Picks the function to serve: the one named by {@code requested} (class or function name), or the only one.
   *
   * @param parameter the goal's handler parameter, named when there are several
   * @throws IllegalArgumentException saying what to add or which one to choose
   */
  public static FunctionDescriptor pick(List<FunctionDescriptor> functions, String requested, String parameter,
      Path classes) {
    if (requested != null && !requested.isBlank()) {
      return functions.stream()
          .filter(f -> f.className().equals(requested) || f.name().equals(requested))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no function '" + requested + "' in " + classes
              + "; found: " + describe(functions)));
    }
    requireSome(functions, classes);
    if (functions.size() > 1) {
      throw new IllegalArgumentException("several functions in " + classes + ": " + describe(functions)
          + "; choose one with -D" + parameter + "=<class or function name>");
    }
    return functions.get(0);
  }

  /**
   * Fails when there is no function at all.
   *
   * @throws IllegalArgumentException saying what to add
   */
  public static void requireSome(List<FunctionDescriptor> functions, Path classes) {
    if (functions.isEmpty()) {
      throw new IllegalArgumentException("no class annotated with @CvatFunction in " + classes
          + ": annotate your handler class, e.g. @CvatFunction(name = \"my-detector\", description = \"...\","
          + " model = \"classpath:models/best.torchscript\") on a class extending YoloDetector");
    }
  }

  private static String describe(List<FunctionDescriptor> functions) {
    if (functions.isEmpty()) {
      return "none";
    }
    return String.join(", ", functions.stream().map(f -> f.name() + " (" + f.className() + ")").toList());
  }
}
