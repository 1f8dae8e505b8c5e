package io.cvatfunction.maven.deploy;

/** Where the deploy reports progress; the mojo adapts Maven's log to it, tests collect the lines. */
public interface DeployLog {

  /** Progress and results. */
  void info(String message);

  /** Something the user should look at that does not stop the deploy. */
  void warn(String message);

  /** Detail for {@code mvn -X}. */
  default void debug(String message) {}
}
