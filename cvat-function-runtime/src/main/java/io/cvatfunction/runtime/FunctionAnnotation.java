package io.cvatfunction.runtime;

/** Reads a handler's {@link CvatFunction}: the one place the annotation's defaults come from. */
public final class FunctionAnnotation {

  private FunctionAnnotation() {}

  /**
   * The annotation of {@code handler}'s class or, for a class without one, an annotation whose every member has its
   * default (name, description and model empty).
   */
  public static CvatFunction of(Class<?> handler) {
    CvatFunction function = handler.getAnnotation(CvatFunction.class);
    return function != null ? function : Defaults.class.getAnnotation(CvatFunction.class);
  }

  @CvatFunction(name = "", description = "", model = "")
  private static final class Defaults {}
}
