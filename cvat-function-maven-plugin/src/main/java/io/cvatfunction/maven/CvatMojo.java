package io.cvatfunction.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What every cvat goal shares: {@code cvat.skip}, and its own {@code cvat.<goal>.skip}. */
public abstract class CvatMojo extends AbstractMojo {

  /** Skips every cvat goal. */
  @Parameter(property = "cvat.skip", defaultValue = "false")
  private boolean skipAll;

  /** The goal's name, for messages. */
  abstract String goal();

  /** Whether the goal's own skip flag is set. */
  abstract boolean skipGoal();

  /** Does the goal's work. */
  abstract void run() throws MojoExecutionException, MojoFailureException;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skipAll || skipGoal()) {
      getLog().info("cvat:" + goal() + " skipped");
      return;
    }
    run();
  }
}
