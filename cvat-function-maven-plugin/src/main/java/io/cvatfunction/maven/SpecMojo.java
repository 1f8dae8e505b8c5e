package io.cvatfunction.maven;

import io.cvatfunction.maven.lint.Finding;
import io.cvatfunction.maven.nuclio.NuclioNames;
import io.cvatfunction.maven.spec.SpecGenerator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Writes the function's Nuclio config, {@code target/cvat/function-gpu.yaml} and {@code function.yaml},
 * from its {@code @CvatFunction} annotation and its model's labels (a pose model's with their keypoints), linted
 * before it is written. A project with several functions gets one sub-directory per function.
 */
@Mojo(name = "spec", defaultPhase = LifecyclePhase.PROCESS_CLASSES,
    requiresDependencyResolution = ResolutionScope.COMPILE, threadSafe = true)
public class SpecMojo extends CvatMojo {

  /** Where the YAMLs go. */
  @Parameter(property = "cvat.spec.outputDirectory", defaultValue = "${project.build.directory}/cvat")
  private File outputDirectory;

  /** {@code metadata.namespace}: the namespace CVAT looks in ({@code nuclio} unless CVAT is configured otherwise). */
  @Parameter(property = "cvat.spec.namespace", defaultValue = "nuclio")
  private String namespace;

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    if (!NuclioNames.isDnsLabel(namespace)) {
      throw new MojoFailureException("cvat.spec.namespace must be a Kubernetes namespace name, got '" + namespace + "'");
    }
    SpecGenerator generator = new SpecGenerator(Path.of(mavenProject.getBuild().getOutputDirectory()),
        RuntimeJar.of(mavenProject), mavenProject.getBasedir().toPath(), namespace);
    try {
      SpecGenerator.Result result = generator.generate(outputDirectory.toPath());
      for (SpecGenerator.Note note : result.notes()) {
        if (note.warning()) {
          getLog().warn(note.text());
        } else {
          getLog().info(note.text());
        }
      }
      for (Finding warning : result.warnings()) {
        getLog().warn(warning.toString());
      }
      for (Path file : result.files()) {
        getLog().info("Wrote " + file);
      }
    } catch (SpecGenerator.SpecException e) {
      throw new MojoFailureException(e.getMessage());
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write the function config: " + e.getMessage(), e);
    }
  }
}
