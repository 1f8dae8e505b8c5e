package io.cvatfunction.maven.deploy;

import java.util.function.Consumer;

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
    return of(this::debug, this::debug, this::debug);
  }

  /** A log that hands each kind of line to its own sink, e.g. Maven's log. */
  static DeployLog of(Consumer<String> info, Consumer<String> warn, Consumer<String> debug) {
    return new DeployLog() {
      @Override
      public void info(String message) {
        info.accept(message);
      }

      @Override
      public void warn(String message) {
        warn.accept(message);
      }

      @Override
      public void debug(String message) {
        debug.accept(message);
      }
    };
  }
}
