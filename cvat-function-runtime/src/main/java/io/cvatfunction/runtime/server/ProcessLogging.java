package io.cvatfunction.runtime.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The process's log, every line of it (ours, DJL's, Undertow's, java.util.logging's) through one appender, set up
 * by what the process is.
 */
final class ProcessLogging {

  private ProcessLogging() {}

  /**
   * The function server's: one JSON object per line on stdout, key-value pairs as top-level fields, which is what
   * container log collectors expect.
   */
  static void json() {
    LoggerContext context = reset();
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.setIncludeContext(false);
    install(context, encoder, "System.out", Level.INFO);
  }

  /**
   * The annotate command's: warnings and errors only, as plain lines on stderr, so that stdout holds progress and
   * the summary (which {@code cvat:annotate} copies into Maven's log) and not the server's JSON lines.
   */
  static void console() {
    LoggerContext context = reset();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level %logger{0}: %msg%n");
    install(context, encoder, "System.err", Level.WARN);
  }

  private static LoggerContext reset() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    return context;
  }

  private static void install(LoggerContext context, Encoder<ILoggingEvent> encoder, String target, Level level) {
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setTarget(target);
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(console);
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }
}
