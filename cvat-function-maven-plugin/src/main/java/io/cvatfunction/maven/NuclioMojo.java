package io.cvatfunction.maven;

import io.cvatfunction.maven.deploy.DeployLog;
import java.io.File;
import org.apache.maven.plugins.annotations.Parameter;

/** The parameters {@code cvat:deploy} and {@code cvat:invoke} share: where the function YAMLs are, and which nuctl. */
abstract class NuclioMojo extends CvatMojo {

  /** Where {@code cvat:spec} and {@code cvat:image} wrote the function YAMLs and {@code image.json}. */
  @Parameter(property = "cvat.deploy.directory", defaultValue = "${project.build.directory}/cvat")
  File directory;

  /** The nuctl executable: a name on {@code PATH} or a path. Must be the version of CVAT's Nuclio dashboard. */
  @Parameter(property = "cvat.deploy.nuctl", defaultValue = "nuctl")
  String nuctl;

  /** {@code local} (Docker on this machine, as CVAT's serverless compose file runs it) or {@code kube}. */
  @Parameter(property = "cvat.deploy.platform", defaultValue = "local")
  String platform;

  /**
   * The Nuclio namespace CVAT looks in ({@code CVAT_NUCLIO_FUNCTION_NAMESPACE}); passed to nuctl on kube. Unset, it
   * is {@code nuclio} on the local platform; on kube it must be set, to CVAT's Helm release namespace.
   */
  @Parameter(property = "cvat.deploy.namespace")
  String namespace;

  /** Maven's log as a {@link DeployLog}. */
  DeployLog deployLog() {
    return DeployLog.of(getLog()::info, getLog()::warn, getLog()::debug);
  }
}
