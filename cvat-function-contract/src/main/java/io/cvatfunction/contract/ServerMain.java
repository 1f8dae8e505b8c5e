package io.cvatfunction.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runtime's server main class, which {@code cvat:run}, {@code cvat:annotate} and the image's entrypoint start by
 * name (the plugin never loads the runtime). The runtime's {@code ServerMainTest} pins it to the real class.
 */
public final class ServerMain {

  /** The fully qualified class name. */
  public static final String CLASS_NAME = "io.cvatfunction.runtime.server.FunctionServer";

  private ServerMain() {}

  /**
   * The command line that starts it: {@code java}, the JVM arguments, each property as {@code -Dkey=value} (in the
   * map's order), the classpath and the class; the caller appends the program's arguments.
   */
  public static List<String> command(String java, List<String> jvmArgs, Map<String, String> properties,
      String classpath) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmArgs);
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-cp");
    command.add(classpath);
    command.add(CLASS_NAME);
    return command;
  }
}
