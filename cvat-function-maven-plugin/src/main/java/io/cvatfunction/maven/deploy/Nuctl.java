package io.cvatfunction.maven.deploy;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds nuctl command lines with only the flags nuctl 1.14/1.15 really has (nuclio-cvat-contract §3), runs
 * them as argument lists (never through a shell), and shows them shell-quoted with credentials masked.
 * Every command names its platform explicitly: nuctl's default {@code auto} picks Kubernetes whenever a
 * kubeconfig exists.
 */
public final class Nuctl {

  /** The lines of output a failure message quotes. */
  static final int TAIL_LINES = 20;

  private static final Pattern VERSION_LABEL = Pattern.compile("Label:\\s*v?([^,\"\\s]+)");

  private final String executable;
  private final String platform;
  private final String namespace;
  private final Redactor redactor;

  /**
   * @param executable the nuctl to run: a path, or a name looked up on {@code PATH} by {@link #resolve}
   * @param platform {@code local} or {@code kube}
   * @param namespace the namespace to pass with {@code --namespace}, or null to leave nuctl's default
   * @param redactor masks what is shown
   */
  public Nuctl(String executable, String platform, String namespace, Redactor redactor) {
    this.executable = executable;
    this.platform = platform;
    this.namespace = namespace;
    this.redactor = redactor;
  }

  /** The platform every command names. */
  public String platform() {
    return platform;
  }

  /** {@code nuctl version}. */
  public List<String> version() {
    return List.of(executable, "version");
  }

  /** {@code nuctl get project NAME}: exits 1 with "No projects found" when it does not exist. */
  public List<String> getProject(String project) {
    return withPlatform("get", "project", project);
  }

  /** {@code nuctl create project NAME}. */
  public List<String> createProject(String project) {
    return withPlatform("create", "project", project);
  }

  /** {@code nuctl get function NAME -o json}: exits 1 with "No functions found" when it does not exist. */
  public List<String> getFunction(String name) {
    List<String> command = withPlatform("get", "function", name);
    command.add("-o");
    command.add("json");
    return command;
  }

  /** {@code nuctl delete function NAME --force}: {@code --force} also deletes a function stuck in {@code building}. */
  public List<String> deleteFunction(String name) {
    List<String> command = withPlatform("delete", "function", name);
    command.add("--force");
    return command;
  }

  /**
   * What a prebuilt-image deploy needs.
   *
   * @param name the function
   * @param runImage the image to run, by digest
   * @param runtime {@code spec.runtime}
   * @param handler {@code spec.handler}
   * @param file the function YAML
   * @param project the Nuclio project ({@code --project-name})
   * @param platformConfig {@code --platform-config} JSON, or null
   * @param registry {@code --registry}, or null
   * @param runRegistry {@code --run-registry}, or null
   * @param readinessTimeoutSeconds {@code --readiness-timeout}
   */
  public record DeployArgs(String name, String runImage, String runtime, String handler, Path file, String project,
      String platformConfig, String registry, String runRegistry, int readinessTimeoutSeconds) {}

  /** {@code nuctl deploy NAME --run-image IMAGE ...}: never {@code --path}, so Nuclio runs the image as it is. */
  public List<String> deploy(DeployArgs args) {
    List<String> command = new ArrayList<>(List.of(executable, "deploy", args.name(),
        "--run-image", args.runImage(),
        "--runtime", args.runtime(),
        "--handler", args.handler(),
        "--file", args.file().toString()));
    addPlatform(command);
    command.add("--project-name");
    command.add(args.project());
    if (args.platformConfig() != null) {
      command.add("--platform-config");
      command.add(args.platformConfig());
    }
    if (args.registry() != null) {
      command.add("--registry");
      command.add(args.registry());
    }
    if (args.runRegistry() != null) {
      command.add("--run-registry");
      command.add(args.runRegistry());
    }
    command.add("--readiness-timeout");
    command.add(Integer.toString(args.readinessTimeoutSeconds()));
    return command;
  }

  private List<String> withPlatform(String verb, String noun, String name) {
    List<String> command = new ArrayList<>(List.of(executable, verb, noun, name));
    addPlatform(command);
    return command;
  }

  private void addPlatform(List<String> command) {
    command.add("--platform");
    command.add(platform);
    if (namespace != null) {
      command.add("--namespace");
      command.add(namespace);
    }
  }

  /** The command as one line a user can paste into a POSIX shell, credentials masked. */
  public String display(List<String> command) {
    return redactor.redact(String.join(" ", command.stream().map(Nuctl::quote).toList()));
  }

  /** {@code text} with credentials masked. */
  public String redact(String text) {
    return redactor.redact(text);
  }

  static String quote(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /**
   * What a run of nuctl gave.
   *
   * @param exitCode its exit status
   * @param stdout everything it printed on stdout
   * @param stderr everything it printed on stderr
   */
  public record Result(int exitCode, String stdout, String stderr) {

    /** Whether it exited 0. */
    public boolean ok() {
      return exitCode == 0;
    }

    /** stdout and stderr together. */
    public String output() {
      return stdout + (stdout.isEmpty() || stdout.endsWith("\n") ? "" : "\n") + stderr;
    }

    /**
     * The line that says what went wrong: nuctl prints {@code Error - <cause>} first for most failures, and
     * a bare message (e.g. {@code No functions found}) for "not found" ones.
     */
    public String headline() {
      List<String> lines = output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
      return lines.stream().filter(l -> l.startsWith("Error - ")).findFirst().map(l -> l.substring(8))
          .orElse(lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1));
    }

    /** The last lines of output. */
    public List<String> tail(int lines) {
      List<String> all = output().lines().filter(l -> !l.isBlank()).toList();
      return all.subList(Math.max(0, all.size() - lines), all.size());
    }
  }

  /** nuctl ran longer than allowed and was stopped. */
  public static final class TimedOut extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Result partial;

    TimedOut(Result partial) {
      super("timed out", null, false, false);
      this.partial = partial;
    }

    /** What it printed before it was stopped. */
    public Result partial() {
      return partial;
    }
  }

  /**
   * Runs a command and collects its output.
   *
   * @param timeout how long it may run before it is stopped
   * @param lines gets each output line as it comes, credentials masked (e.g. to show a deploy's progress live)
   * @throws IOException when it cannot be started
   * @throws TimedOut when it ran past {@code timeout}
   */
  public Result run(List<String> command, Duration timeout, Consumer<String> lines)
      throws IOException, InterruptedException, TimedOut {
    ProcessBuilder builder = new ProcessBuilder(command);
    Process process = builder.start();
    process.getOutputStream().close(); // no input: nuctl must never wait for a prompt in CI
    StringBuilder stdout = new StringBuilder();
    StringBuilder stderr = new StringBuilder();
    // Both streams are drained while the process runs, so a chatty nuctl never blocks on a full pipe.
    Thread out = drain(process.getInputStream(), stdout, lines);
    Thread err = drain(process.getErrorStream(), stderr, lines);
    boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    out.join(5000);
    err.join(5000);
    Result result;
    synchronized (stdout) {
      synchronized (stderr) {
        result = new Result(finished ? process.exitValue() : -1, stdout.toString(), stderr.toString());
      }
    }
    if (!finished) {
      throw new TimedOut(result);
    }
    return result;
  }

  private Thread drain(InputStream stream, StringBuilder sink, Consumer<String> lines) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          synchronized (sink) {
            sink.append(line).append('\n');
          }
          lines.accept(redactor.redact(line));
        }
      } catch (IOException e) {
        // the process was stopped; what was read so far is kept
      }
    }, "nuctl-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * The nuctl executable to run.
   *
   * @param executable a path (with a separator) or a name to look up on {@code path}
   * @param path the {@code PATH} value
   * @throws DeployException when it is not there or not executable, saying where to get it
   */
  public static Path resolve(String executable, String path) throws DeployException {
    String install = "install nuctl of the same version as CVAT's Nuclio dashboard (1.15.9 for current CVAT: "
        + "https://github.com/nuclio/nuclio/releases/download/1.15.9/nuctl-1.15.9-linux-amd64, chmod +x) and put it "
        + "on PATH, or give its path with -Dcvat.deploy.nuctl=/path/to/nuctl";
    if (executable.contains("/") || executable.contains(File.separator)) {
      Path file = Path.of(executable);
      if (!Files.isRegularFile(file)) {
        throw new DeployException("cvat.deploy.nuctl: " + file + " does not exist: " + install);
      }
      if (!Files.isExecutable(file)) {
        throw new DeployException("cvat.deploy.nuctl: " + file + " is not executable: chmod +x " + file);
      }
      return file;
    }
    List<String> dirs = path == null ? List.of() : Arrays.asList(path.split(File.pathSeparator));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, executable);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new DeployException("'" + executable + "' is not on PATH (" + (path == null ? "unset" : path) + "): "
        + install);
  }

  /**
   * The version label in {@code nuctl version} output ({@code Client version: "Label: 1.15.9, Git commit: ..."}).
   *
   * @return e.g. {@code 1.15.9}; empty when the output has no label
   */
  public static Optional<String> parseVersion(String output) {
    Matcher matcher = VERSION_LABEL.matcher(output);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** A version as Nuclio labels images and releases: without a leading {@code v} or an architecture suffix. */
  public static String normalizeVersion(String version) {
    String v = version.trim();
    if (v.startsWith("v")) {
      v = v.substring(1);
    }
    return v.replaceFirst("-(amd64|arm64|x86_64|aarch64)$", "");
  }
}
