package io.cvatfunction.maven;

import io.cvatfunction.maven.lint.Finding;
import io.cvatfunction.maven.lint.NuclioLint;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks Nuclio function YAMLs, hand-written ones included, for what puts a function in {@code error} or
 * breaks CVAT's model list. Needs no project: {@code mvn cvat:lint -Dcvat.lint.files=a.yaml,b.yaml}. In a
 * project without {@code cvat.lint.files} it checks the YAMLs {@code cvat:spec} wrote. Fails on errors,
 * listing every problem with file and line; warnings are printed only.
 */
@Mojo(name = "lint", requiresProject = false, threadSafe = true)
public class LintMojo extends CvatMojo {

  /** Comma-separated YAML files to check, relative to the current project directory. */
  @Parameter(property = "cvat.lint.files")
  private String files;

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    List<Path> targets = targets();
    int errors = 0;
    int warnings = 0;
    for (Path file : targets) {
      String yaml;
      try {
        yaml = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new MojoFailureException("cannot read " + file + ": " + e.getMessage());
      }
      for (Finding finding : NuclioLint.lint(file.toString(), yaml)) {
        if (finding.severity() == Finding.Severity.ERROR) {
          getLog().error(finding.toString());
          errors++;
        } else {
          getLog().warn(finding.toString());
          warnings++;
        }
      }
    }
    String summary = "cvat:lint: " + targets.size() + " file(s), " + errors + " error(s), " + warnings + " warning(s)";
    if (errors > 0) {
      throw new MojoFailureException(summary + "; see the errors above");
    }
    getLog().info(summary);
  }

  private List<Path> targets() throws MojoFailureException, MojoExecutionException {
    Path base = mavenProject != null && mavenProject.getBasedir() != null
        ? mavenProject.getBasedir().toPath() : Path.of("").toAbsolutePath();
    List<Path> targets = new ArrayList<>();
    if (files != null && !files.isBlank()) {
      for (String name : Arrays.stream(files.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
        Path file = base.resolve(name);
        if (!Files.isRegularFile(file)) {
          throw new MojoFailureException("cvat.lint.files: " + file + " does not exist");
        }
        targets.add(file);
      }
      return targets;
    }
    Path generated = mavenProject == null ? null : new File(mavenProject.getBuild().getDirectory(), "cvat").toPath();
    if (generated != null && Files.isDirectory(generated)) {
      try (Stream<Path> walk = Files.walk(generated)) {
        walk.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().forEach(targets::add);
      } catch (IOException e) {
        throw new MojoExecutionException("cannot list " + generated, e);
      }
    }
    if (targets.isEmpty()) {
      throw new MojoFailureException("nothing to lint: name the files with -Dcvat.lint.files=a.yaml,b.yaml"
          + " or run cvat:spec first");
    }
    return targets;
  }
}
