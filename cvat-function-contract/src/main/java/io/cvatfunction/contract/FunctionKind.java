package io.cvatfunction.contract;

import java.util.Locale;

/**
 * The CVAT function kinds this project serves ({@code metadata.annotations.type} of the function YAML), each by the
 * runtime interface its handlers implement. A handler's kind is the interface its class implements, never a
 * declaration beside it, so a function cannot be listed as a kind whose requests it does not answer.
 */
public enum FunctionKind {
  /** A frame in, shapes out: {@code io.cvatfunction.runtime.Detector} (and {@code YoloDetector}, which implements it). */
  DETECTOR("io.cvatfunction.runtime.Detector");

  private final String handlerInterface;

  FunctionKind(String handlerInterface) {
    this.handlerInterface = handlerInterface;
  }

  /** The value CVAT expects in {@code metadata.annotations.type}. */
  public String cvatName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The runtime interface a handler of this kind implements. */
  public String handlerInterface() {
    return handlerInterface;
  }
}
