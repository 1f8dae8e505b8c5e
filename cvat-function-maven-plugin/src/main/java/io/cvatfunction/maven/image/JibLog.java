package io.cvatfunction.maven.image;

import com.google.cloud.tools.jib.api.LogEvent;
import java.util.function.Consumer;

/** jib's {@link LogEvent}s on a log of four levels, such as Maven's: lifecycle lines (the build's steps) as info. */
public final class JibLog {

  private JibLog() {}

  /** A consumer of jib's events that hands each message to the sink of its level; info and progress to debug. */
  public static Consumer<LogEvent> of(Consumer<String> error, Consumer<String> warn, Consumer<String> info,
      Consumer<String> debug) {
    return event -> (switch (event.getLevel()) {
      case ERROR -> error;
      case WARN -> warn;
      case LIFECYCLE -> info;
      default -> debug;
    }).accept(event.getMessage());
  }
}
