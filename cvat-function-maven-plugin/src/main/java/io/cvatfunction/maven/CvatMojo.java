package io.cvatfunction.maven;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.PluginParameterExpressionEvaluator;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluationException;

/** What every cvat goal shares: the Maven project, {@code cvat.skip}, and its own skip flag. */
public abstract class CvatMojo extends AbstractMojo {

  /** Skips every cvat goal. */
  @Parameter(property = "cvat.skip", defaultValue = "false")
  private boolean skipAll;

  /**
   * Skips this goal; so does its property {@code cvat.<goal>.skip} ({@code -Dcvat.spec.skip}, or in the pom's
   * properties), one name per goal, which an inherited parameter cannot declare.
   */
  @Parameter(defaultValue = "false")
  private boolean skip;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  private MojoExecution execution;

  @Parameter(defaultValue = "${session}", readonly = true)
  MavenSession session;

  /**
   * The Maven project; without a pom ({@code cvat:lint}, {@code cvat:invoke}) Maven's stand-in, which has no file.
   * (Not {@code project}: that is {@code cvat:deploy}'s Nuclio project.)
   */
  @Parameter(defaultValue = "${project}", readonly = true)
  MavenProject mavenProject;

  /** Does the goal's work. */
  abstract void run() throws MojoExecutionException, MojoFailureException;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skipAll || skip || skipProperty()) {
      getLog().info("cvat:" + execution.getGoal() + " skipped");
      return;
    }
    run();
  }

  /** {@code cvat.<goal>.skip}, from the command line, the system or the pom, as Maven reads a parameter's property. */
  private boolean skipProperty() throws MojoExecutionException {
    String expression = "${cvat." + execution.getGoal() + ".skip}";
    try {
      Object value = new PluginParameterExpressionEvaluator(session, execution).evaluate(expression);
      return value != null && Boolean.parseBoolean(value.toString().trim());
    } catch (ExpressionEvaluationException e) {
      throw new MojoExecutionException("cannot read " + expression + ": " + e.getMessage(), e);
    }
  }
}
