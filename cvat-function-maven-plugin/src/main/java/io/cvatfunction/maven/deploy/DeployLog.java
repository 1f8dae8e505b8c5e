package io.cvatfunction.maven.deploy;

/** Where the deploy reports progress; the mojo adapts Maven's log to it, tests collect the lines. */
public interface DeployLog {

  /** Progress and results. */
  void info(String message);

  /** Something the user should look at that does not stop the deploy. */
  void warn(String message);

  /** Detail for {@code mvn -X}. */
  default void debug(String message) {}

  /** This log with progress and warnings as debug lines: for work on the side, e.g. finding the function to invoke. */
  default DeployLog asDebug() {
    DeployLog self = this;
    return new DeployLog() {
      @Override
      public void info(String message) {
        self.debug(message);
      }

      @Override
      public void warn(String message) {
        self.debug(message);
      }

      @Override
      public void debug(String message) {
        self.debug(message);
      }
    };
  }
}
