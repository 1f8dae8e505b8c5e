package io.cvatfunction.maven;

import java.nio.file.Path;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;

/** Finds the {@code cvat-function-runtime} jar among a project's resolved dependencies. */
final class RuntimeJar {

  static final String GROUP_ID = "io.cvatfunction";
  static final String ARTIFACT_ID = "cvat-function-runtime";

  private RuntimeJar() {}

  static Path of(MavenProject project) throws MojoFailureException {
    for (Artifact artifact : project.getArtifacts()) {
      if (GROUP_ID.equals(artifact.getGroupId()) && ARTIFACT_ID.equals(artifact.getArtifactId())
          && artifact.getFile() != null && artifact.getClassifier() == null) {
        return artifact.getFile().toPath();
      }
    }
    throw new MojoFailureException(project.getId() + " does not depend on " + GROUP_ID + ":" + ARTIFACT_ID
        + ": add it as a dependency, it holds @CvatFunction and the function server");
  }
}
