package io.cvatfunction.maven.nuclio;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds nuctl command lines with only the flags nuctl 1.14/1.15 really has, runs
 * them as argument lists (never through a shell), and shows them shell-quoted with credentials masked.
 * Every command names its platform explicitly: nuctl's default {@code auto} picks Kubernetes whenever a
 * kubeconfig exists.
 *
 * @param executable the nuctl to run: a path, or a name looked up on {@code PATH} by {@link #resolve}
 * @param platform {@code local} or {@code kube}, named by every command
 * @param namespace the namespace to pass with {@code --namespace}, or null to leave nuctl's default
 * @param redactor masks what is shown
 */
public record Nuctl(String executable, String platform, String namespace, Redactor redactor) {

  /** The lines of output a failure message quotes. */
  public static final int TAIL_LINES = 20;

  private static final Pattern VERSION_LABEL = Pattern.compile("Label:\\s*v?([^,\"\\s]+)");

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
   * Runs a command and collects its output, as {@link NuctlProcess#run} does.
   *
   * @param lines gets each output line as it comes, credentials masked (e.g. to show a deploy's progress live)
   */
  public NuctlProcess.Result run(List<String> command, Duration timeout, Consumer<String> lines)
      throws IOException, InterruptedException, NuctlProcess.TimedOut {
    return NuctlProcess.run(command, timeout, line -> lines.accept(redactor.redact(line)));
  }

  /**
   * The message for a failed nuctl command: what failed, nuctl's status and headline, the command, the last lines
   * of its output and a hint; credentials masked.
   *
   * @param what what was being done, e.g. {@code deploying NAME}
   * @param hint what to do, from {@link NuctlHints}, or null
   */
  public String failure(String what, List<String> command, NuctlProcess.Result result, String hint) {
    StringBuilder message = new StringBuilder(what);
    if (result.exitCode() >= 0) {
      message.append(" failed: nuctl exited with status ").append(result.exitCode()).append(": ")
          .append(result.headline());
    }
    message.append("\n  command: ").append(display(command));
    List<String> tail = result.tail(TAIL_LINES);
    if (!tail.isEmpty()) {
      message.append("\n  nuctl output (last ").append(tail.size()).append(" lines):");
      tail.forEach(line -> message.append("\n    ").append(line));
    }
    message.append(NuctlHints.suffix(hint));
    return redact(message.toString());
  }

  /**
   * The nuctl for a platform and namespace: {@code --namespace} is passed on kube (nuctl would otherwise take the
   * kubeconfig context's namespace) and on local only when it is not nuctl's default there, {@code nuclio}.
   *
   * @param program the nuctl to run, already {@linkplain #resolve resolved}
   */
  public static Nuctl forPlatform(String program, String platform, String namespace, Redactor redactor) {
    return new Nuctl(program, platform,
        platform.equals("kube") || !namespace.equals("nuclio") ? namespace : null, redactor);
  }

  /**
   * The nuctl executable to run.
   *
   * @param executable a path (with a separator) or a name to look up on {@code path}
   * @param path the {@code PATH} value
   * @throws NuclioException when it is not there or not executable, saying where to get it
   */
  public static Path resolve(String executable, String path) throws NuclioException {
    String install = "install nuctl of the same version as CVAT's Nuclio dashboard (1.15.9 for current CVAT: "
        + "https://github.com/nuclio/nuclio/releases/download/1.15.9/nuctl-1.15.9-linux-amd64, chmod +x) and put it "
        + "on PATH, or give its path with -Dcvat.deploy.nuctl=/path/to/nuctl";
    if (executable.contains("/") || executable.contains(File.separator)) {
      Path file = Path.of(executable);
      if (!Files.isRegularFile(file)) {
        throw new NuclioException("cvat.deploy.nuctl: " + file + " does not exist: " + install);
      }
      if (!Files.isExecutable(file)) {
        throw new NuclioException("cvat.deploy.nuctl: " + file + " is not executable: chmod +x " + file);
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
    throw new NuclioException("'" + executable + "' is not on PATH (" + (path == null ? "unset" : path) + "): "
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
