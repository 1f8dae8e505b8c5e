package io.cvatfunction.maven.invoke;

import io.cvatfunction.maven.deploy.DeployLog;
import io.cvatfunction.maven.deploy.FunctionConfig;
import io.cvatfunction.maven.nuclio.NuclioException;
import java.nio.file.Path;
import java.util.List;

/**
 * The function YAML {@code cvat:invoke} reads in a project: the named function's, else the project's only one. Its
 * name says which deployed function to ask nuctl for; its labels hold the skeleton edges the drawing needs.
 */
final class ProjectFunction {

  private ProjectFunction() {}

  /**
   * The function's YAML.
   *
   * @param directory where {@code cvat:spec} wrote the YAMLs
   * @param function {@code cvat.invoke.function}; null or blank for the project's only function
   * @param log where finding the YAML reports (as debug lines)
   * @throws NuclioException when there is no YAML, none of that name, or several functions and none named
   */
  static FunctionConfig config(Path directory, String function, DeployLog log) throws NuclioException {
    List<FunctionConfig> functions = FunctionConfig.locate(directory, true, function, log.asDebug());
    if (functions.size() > 1) {
      throw new NuclioException("this project has several functions ("
          + String.join(", ", functions.stream().map(FunctionConfig::name).toList())
          + "): name one with -Dcvat.invoke.function=NAME");
    }
    return functions.get(0);
  }
}
