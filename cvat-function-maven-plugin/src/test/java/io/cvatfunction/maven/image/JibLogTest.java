package io.cvatfunction.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.tools.jib.api.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Each of jib's levels goes to the sink of Maven's level that shows it as the build's own messages are shown. */
class JibLogTest {

  @Test
  void eachLevelGoesToItsSink() {
    List<String> lines = new ArrayList<>();
    Consumer<LogEvent> log = JibLog.of(m -> lines.add("error " + m), m -> lines.add("warn " + m),
        m -> lines.add("info " + m), m -> lines.add("debug " + m));
    for (LogEvent event : List.of(LogEvent.error("e"), LogEvent.warn("w"), LogEvent.lifecycle("l"),
        LogEvent.progress("p"), LogEvent.info("i"), LogEvent.debug("d"))) {
      log.accept(event);
    }
    assertEquals(List.of("error e", "warn w", "info l", "debug p", "debug i", "debug d"), lines);
  }
}
