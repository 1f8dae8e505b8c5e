package io.cvatfunction.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** What every cvat goal shares: the project, {@code cvat.skip}, and its own {@code cvat.<goal>.skip}. */
public abstract class CvatMojo extends AbstractMojo {

  /** Skips every cvat goal. */
  @Parameter(property = "cvat.skip", defaultValue = "false")
  private boolean skipAll;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  private MojoExecution execution;

  /**
   * The Maven project; without a pom ({@code cvat:lint}, {@code cvat:invoke}) Maven's stand-in, which has no file.
   * (Not {@code project}: that is {@code cvat:deploy}'s Nuclio project.)
   */
  @Parameter(defaultValue = "${project}", readonly = true)
  MavenProject mavenProject;

  /** Whether the goal's own skip flag is set. */
  abstract boolean skipGoal();

  /** Does the goal's work. */
  abstract void run() throws MojoExecutionException, MojoFailureException;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skipAll || skipGoal()) {
      getLog().info("cvat:" + execution.getGoal() + " skipped");
      return;
    }
    run();
  }
}
