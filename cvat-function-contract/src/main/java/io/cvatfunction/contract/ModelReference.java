package io.cvatfunction.contract;

import java.util.Optional;

/**
 * How {@code @CvatFunction(model)} names a model: a file path, or {@code classpath:} and a resource name (the
 * file under {@code src/main/resources}, so it ships in the function's jar or image).
 */
public final class ModelReference {

  /** The prefix of a classpath reference. */
  public static final String CLASSPATH = "classpath:";

  private ModelReference() {}

  /**
   * The resource name of a {@code classpath:} reference, leading slashes dropped as {@link ClassLoader} wants it;
   * empty for a file path.
   */
  public static Optional<String> resource(String reference) {
    if (reference == null || !reference.startsWith(CLASSPATH)) {
      return Optional.empty();
    }
    return Optional.of(reference.substring(CLASSPATH.length()).replaceFirst("^/+", ""));
  }
}
