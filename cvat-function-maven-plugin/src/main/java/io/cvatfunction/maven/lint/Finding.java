package io.cvatfunction.maven.lint;

/**
 * One problem in a function YAML.
 *
 * @param severity errors fail the build, warnings do not
 * @param rule the rule's id
 * @param file the file
 * @param line the 1-based line
 * @param field the YAML path of the field, e.g. {@code metadata.name}
 * @param message what is wrong and how to fix it
 */
public record Finding(Severity severity, String rule, String file, int line, String field, String message) {

  /** How bad a finding is. */
  public enum Severity {
    /** Nuclio or CVAT will fail with this: the function errors, or CVAT's model list breaks. */
    ERROR,
    /** Works, but likely not as meant. */
    WARNING
  }

  @Override
  public String toString() {
    return file + ":" + line + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + " [" + rule + "] "
        + field + ": " + message;
  }
}
