package io.cvatfunction.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin's packages form no cycle: the mojos use the plain packages, which never use the mojos' package or,
 * through others, themselves. Read from the sources, imports and fully qualified names alike.
 */
class PackageCycleTest {

  private static final String ROOT = "io.cvatfunction.maven";
  // a plugin class named by package and class: io.cvatfunction.maven[.sub...].Class
  private static final Pattern REFERENCE =
      Pattern.compile("\\b(io\\.cvatfunction\\.maven(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");

  @Test
  void thePluginsPackagesFormNoCycle() throws IOException {
    Map<String, Set<String>> uses = uses(Path.of("src/main/java"));
    assertTrue(uses.containsKey(ROOT) && uses.containsKey(ROOT + ".nuclio"), "the sources were not found: " + uses);
    assertEquals(Optional.empty(), cycle(uses), "package dependencies: " + uses);
  }

  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertEquals(Optional.of(List.of("a", "b", "c", "a")), cycle(uses));
    assertEquals(Optional.empty(), cycle(Map.of("a", Set.of("b"), "b", Set.of("c"), "d", Set.of("a", "c"))));
  }

  /** Which plugin packages each package's sources name. */
  private static Map<String, Set<String>> uses(Path sources) throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String from = sources.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
        Set<String> to = uses.computeIfAbsent(from, p -> new TreeSet<>());
        Matcher matcher = REFERENCE.matcher(Files.readString(file));
        while (matcher.find()) {
          if (!matcher.group(1).equals(from)) {
            to.add(matcher.group(1));
          }
        }
      }
    }
    return uses;
  }

  /** A cycle in the graph, as the packages along it, first and last the same; empty when there is none. */
  private static Optional<List<String>> cycle(Map<String, Set<String>> uses) {
    Set<String> done = new TreeSet<>();
    for (String start : new TreeSet<>(uses.keySet())) {
      Optional<List<String>> found = cycleFrom(start, uses, new ArrayList<>(), done);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<List<String>> cycleFrom(String node, Map<String, Set<String>> uses, List<String> path,
      Set<String> done) {
    int seen = path.indexOf(node);
    if (seen >= 0) {
      List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
      cycle.add(node);
      return Optional.of(cycle);
    }
    if (done.contains(node)) {
      return Optional.empty();
    }
    path.add(node);
    for (String next : new TreeSet<>(uses.getOrDefault(node, Set.of()))) {
      Optional<List<String>> found = cycleFrom(next, uses, path, done);
      if (found.isPresent()) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    done.add(node);
    return Optional.empty();
  }
}
