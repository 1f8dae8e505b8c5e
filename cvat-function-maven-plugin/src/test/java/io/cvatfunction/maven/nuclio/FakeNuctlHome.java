package io.cvatfunction.maven.nuclio;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * A directory with an executable {@code nuctl} script that runs {@link FakeNuctl} (bash and the JDK running
 * the tests are all it needs), the stand-in's behaviour, and what it was called with.
 *
 * <p>Behaviour ({@link #set}): {@code version} (nuctl's label, default 1.15.9); {@code fail.<command>} =
 * {@code <exit status>|<message>} makes {@code version}, {@code get-project}, {@code create-project},
 * {@code get-function}, {@code delete-function} or {@code deploy} fail; {@code deploy.pendingPolls} = N keeps a
 * deployed function in {@code deploy.interimState} (default building) for N {@code get function} calls, then
 * {@code deploy.finalState} (default ready) with {@code deploy.finalMessage}; {@code deploy.sleepMillis} makes
 * deploy hang; {@code get.form=list} prints the list form of {@code get function -o json}; {@code httpPort}
 * (default 32768); {@code kube.externalUrl}, {@code kube.nodePort}.
 */
public final class FakeNuctlHome {

  private final Path dir;
  private final Properties config = new Properties();
  private final Properties state = new Properties();

  private FakeNuctlHome(Path dir) {
    this.dir = dir;
  }

  /** Creates the script and empty config in {@code dir}. */
  public static FakeNuctlHome create(Path dir) throws IOException {
    FakeNuctlHome home = new FakeNuctlHome(dir);
    Path script = dir.resolve("nuctl");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // Short-lived JVM: C1 only and the serial GC start fastest.
    Files.writeString(script, "#!/usr/bin/env bash\n"
        + "FAKE_NUCTL_HOME=" + sh(dir.toString()) + " exec " + sh(java.toString())
        + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -cp " + sh(testClasses())
        + " " + FakeNuctl.class.getName() + " \"$@\"\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    store(home.config, dir.resolve("config.properties"));
    return home;
  }

  private static String testClasses() {
    try {
      return Path.of(FakeNuctl.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sh(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** The executable. */
  public Path executable() {
    return dir.resolve("nuctl");
  }

  /** Sets one behaviour key. */
  public FakeNuctlHome set(String key, String value) {
    config.setProperty(key, value);
    store(config, "config.properties");
    return this;
  }

  /** Makes a project exist, as if created earlier. */
  public FakeNuctlHome project(String name) {
    state.setProperty("project." + name, "exists");
    store(state, "state.properties");
    return this;
  }

  /** Makes a function exist in a state, as a previous deploy left it. */
  public FakeNuctlHome function(String name, String functionState, String message) {
    state.setProperty("function." + name + ".state", functionState);
    state.setProperty("function." + name + ".message", message);
    state.setProperty("function." + name + ".project", "cvat");
    store(state, "state.properties");
    return this;
  }

  /** Every call's arguments (without the executable), in order. */
  public List<List<String>> calls() {
    Path log = dir.resolve("calls.log");
    try {
      return Files.exists(log)
          ? Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .map(line -> Arrays.asList(line.split("\t", -1))).toList()
          : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the stand-in's store holds now. */
  public Properties state() {
    Properties current = new Properties();
    if (!Files.exists(dir.resolve("state.properties"))) {
      return current;
    }
    try (Reader reader = Files.newBufferedReader(dir.resolve("state.properties"), StandardCharsets.UTF_8)) {
      current.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return current;
  }

  // Only the file that changed is written, so the stand-in's own changes to its store are kept.
  private void store(Properties properties, String file) {
    store(properties, dir.resolve(file));
  }

  private static void store(Properties properties, Path file) {
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
