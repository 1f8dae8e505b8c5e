package io.cvatfunction.contract;

/**
 * The runtime's server main class, which {@code cvat:run} and the image's entrypoint start by name (the plugin
 * never loads the runtime). The runtime's {@code ServerMainTest} pins it to the real class.
 */
public final class ServerMain {

  /** The fully qualified class name. */
  public static final String CLASS_NAME = "io.cvatfunction.runtime.server.FunctionServer";

  private ServerMain() {}
}
