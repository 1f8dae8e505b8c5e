package io.cvatfunction.maven.nuclio;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * A stand-in for nuctl 1.14/1.15, for tests: the commands cvat:deploy uses, with exactly nuctl's flags for
 * them (nuclio {@code pkg/nuctl/command/{nuctl,get,create,delete,deploy,build}.go} at 1.14.1), parsed as
 * cobra/pflag parse them, and nuctl's output and error formats. Launched by {@link FakeNuctlHome}'s script.
 *
 * <p>Its directory ({@code FAKE_NUCTL_HOME}) holds {@code calls.log} (every call's argv, tab-separated, one
 * call a line), {@code config.properties} (behaviour, see {@link FakeNuctlHome}) and {@code state.properties}
 * (projects and functions, as Nuclio's store would hold them).
 */
public final class FakeNuctl {

  private enum Kind { STRING, BOOL, INT, REPEATED }

  private record Flag(String name, Character shorthand, Kind kind) {}

  /** An error nuctl prints and exits 1 with. */
  private static final class NuctlError extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean withStatusCode;

    NuctlError(String message) {
      this(message, false);
    }

    // nuclio.ErrorWithStatusCode at the top: main prints only its text, on stdout, without a newline.
    NuctlError(String message, boolean withStatusCode) {
      super(message);
      this.withStatusCode = withStatusCode;
    }
  }

  private static final List<Flag> GLOBAL = List.of(
      new Flag("verbose", 'v', Kind.BOOL), new Flag("platform", null, Kind.STRING),
      new Flag("namespace", 'n', Kind.STRING), new Flag("concurrency", null, Kind.INT),
      new Flag("mask-sensitive-fields", null, Kind.BOOL), new Flag("kubeconfig", 'k', Kind.STRING),
      new Flag("help", 'h', Kind.BOOL));

  private static final Map<String, List<Flag>> COMMAND_FLAGS = Map.of(
      "version", List.of(),
      "get function", List.of(new Flag("labels", 'l', Kind.STRING), new Flag("output", 'o', Kind.STRING)),
      "get project", List.of(new Flag("output", 'o', Kind.STRING)),
      "create project", List.of(new Flag("description", null, Kind.STRING), new Flag("owner", null, Kind.STRING)),
      "delete function", List.of(new Flag("force", 'f', Kind.BOOL), new Flag("with-api-gateways", null, Kind.BOOL)),
      "deploy", deployFlags());

  private static List<Flag> deployFlags() {
    List<Flag> flags = new ArrayList<>(List.of(
        // addBuildFlags
        new Flag("path", 'p', Kind.STRING), new Flag("source", null, Kind.STRING), new Flag("file", 'f', Kind.STRING),
        new Flag("image", 'i', Kind.STRING), new Flag("registry", 'r', Kind.STRING),
        new Flag("runtime", null, Kind.STRING), new Flag("handler", null, Kind.STRING),
        new Flag("no-pull", null, Kind.BOOL), new Flag("no-cleanup", null, Kind.BOOL),
        new Flag("base-image", null, Kind.STRING), new Flag("build-command", null, Kind.REPEATED),
        new Flag("onbuild-image", null, Kind.STRING), new Flag("offline", null, Kind.BOOL),
        new Flag("build-runtime-attrs", null, Kind.STRING), new Flag("build-code-entry-attrs", null, Kind.STRING),
        new Flag("code-entry-type", null, Kind.STRING)));
    flags.addAll(List.of(
        // addDeployFlags
        new Flag("desc", null, Kind.STRING), new Flag("labels", 'l', Kind.STRING),
        new Flag("annotations", null, Kind.STRING), new Flag("nodeSelector", null, Kind.STRING),
        new Flag("nodeName", null, Kind.STRING), new Flag("priorityClassName", null, Kind.STRING),
        new Flag("preemptionPolicy", null, Kind.STRING), new Flag("env", 'e', Kind.REPEATED),
        new Flag("disable", 'd', Kind.BOOL), new Flag("replicas", null, Kind.INT),
        new Flag("min-replicas", null, Kind.INT), new Flag("max-replicas", null, Kind.INT),
        new Flag("run-as-user", null, Kind.INT), new Flag("run-as-group", null, Kind.INT),
        new Flag("fsgroup", null, Kind.INT), new Flag("target-cpu", null, Kind.INT),
        new Flag("publish", null, Kind.BOOL), new Flag("data-bindings", null, Kind.STRING),
        new Flag("triggers", null, Kind.STRING), new Flag("http-trigger-service-type", null, Kind.STRING),
        new Flag("platform-config", null, Kind.STRING), new Flag("run-image", null, Kind.STRING),
        new Flag("run-registry", null, Kind.STRING), new Flag("runtime-attrs", null, Kind.STRING),
        new Flag("readiness-timeout", null, Kind.INT), new Flag("project-name", null, Kind.STRING),
        new Flag("volume", null, Kind.REPEATED), new Flag("resource-limit", null, Kind.REPEATED),
        new Flag("resource-request", null, Kind.REPEATED), new Flag("logger-level", null, Kind.STRING),
        new Flag("input-image-file", null, Kind.STRING)));
    return flags;
  }

  private static final Map<String, String> NOUNS = Map.ofEntries(
      Map.entry("function", "function"), Map.entry("functions", "function"), Map.entry("fu", "function"),
      Map.entry("fn", "function"), Map.entry("project", "project"), Map.entry("projects", "project"),
      Map.entry("proj", "project"), Map.entry("prj", "project"));

  private final Path home;
  private final Properties config = new Properties();
  private final Properties state = new Properties();
  private final PrintStream out;

  private FakeNuctl(Path home, PrintStream out) throws IOException {
    this.home = home;
    this.out = out;
    load(config, home.resolve("config.properties"));
    load(state, home.resolve("state.properties"));
  }

  /** Runs one nuctl call. */
  public static void main(String[] args) throws IOException {
    Path home = Path.of(System.getenv("FAKE_NUCTL_HOME"));
    Files.writeString(home.resolve("calls.log"), String.join("\t", args) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    FakeNuctl nuctl = new FakeNuctl(home, System.out);
    int status;
    try {
      status = nuctl.run(args);
    } catch (NuctlError e) {
      if (e.withStatusCode) {
        System.out.print(e.getMessage());
      } else {
        // errors.PrintErrorStack for an error without a file and line, as nuctl's main prints it
        System.err.print("\nError - " + e.getMessage() + "\nCall stack:\n" + e.getMessage() + "\n");
      }
      status = 1;
    }
    System.out.flush();
    System.exit(status);
  }

  private int run(String[] args) throws NuctlError, IOException {
    // Cobra finds the command from the words before the flags; the plugin always puts them first.
    List<String> words = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("-") || words.size() == 2) {
        break;
      }
      words.add(arg);
    }
    if (words.isEmpty()) {
      throw new NuctlError("fake nuctl: no command");
    }
    String verb = words.get(0).equals("ver") ? "version" : words.get(0).equals("del") ? "delete"
        : words.get(0).equals("cre") ? "create" : words.get(0);
    String command;
    int consumed;
    if (verb.equals("version") || verb.equals("deploy")) {
      command = verb;
      consumed = 1;
    } else if (verb.equals("get") || verb.equals("create") || verb.equals("delete")) {
      String noun = words.size() > 1 ? NOUNS.get(words.get(1)) : null;
      if (noun == null || !COMMAND_FLAGS.containsKey(verb + " " + noun)) {
        throw new NuctlError("unknown command \"" + (words.size() > 1 ? words.get(1) : "") + "\" for \"nuctl " + verb
            + "\"");
      }
      command = verb + " " + noun;
      consumed = 2;
    } else {
      throw new NuctlError("unknown command \"" + words.get(0) + "\" for \"nuctl\"");
    }
    List<Flag> known = new ArrayList<>(GLOBAL);
    known.addAll(COMMAND_FLAGS.get(command));
    Map<String, List<String>> flags = new HashMap<>();
    List<String> positional = new ArrayList<>();
    parse(args, consumed, known, flags, positional);

    String failure = config.getProperty("fail." + command.replace(' ', '-'));
    if (failure != null) {
      String[] parts = failure.split("\\|", 2);
      String message = parts.length > 1 ? parts[1] : "injected failure";
      if (command.equals("deploy") && !positional.isEmpty()) {
        // a failed deploy leaves the function in error, as Nuclio's reportCreationError does
        storeFunction(positional.get(0), flags, "error", message);
      }
      System.err.print("\nError - " + message + "\nCall stack:\n" + message + "\n");
      return Integer.parseInt(parts[0]);
    }
    if (command.equals("version")) {
      out.println("Client version:");
      out.println("\"Label: " + config.getProperty("version", "1.15.9")
          + ", Git commit: 4f1c3e7a2b, OS: linux, Arch: amd64, Go version: go1.21.13\"");
      return 0;
    }
    String platform = last(flags, "platform");
    if (platform == null) {
      throw new NuctlError("fake nuctl: --platform must be explicit (nuctl's default auto picks kube whenever a "
          + "kubeconfig exists)");
    }
    if (!platform.matches("local|kube|auto")) {
      throw new NuctlError("Failed to create platform: Can't create platform - unsupported platform type: " + platform);
    }
    String name = positional.isEmpty() ? null : positional.get(0);
    switch (command) {
      case "get project" -> getProject(name);
      case "create project" -> createProject(name, flags);
      case "get function" -> getFunction(name, flags);
      case "delete function" -> deleteFunction(name, flags);
      case "deploy" -> deploy(name, flags);
      default -> throw new IllegalStateException(command);
    }
    save();
    return 0;
  }

  private static void parse(String[] args, int start, List<Flag> known, Map<String, List<String>> flags,
      List<String> positional) throws NuctlError {
    for (int i = start; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        for (int j = i + 1; j < args.length; j++) {
          positional.add(args[j]);
        }
        return;
      }
      Flag flag;
      String value = null;
      String shown;
      if (arg.startsWith("--")) {
        String body = arg.substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        value = eq < 0 ? null : body.substring(eq + 1);
        flag = known.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
        shown = "--" + name;
        if (flag == null) {
          throw new NuctlError("unknown flag: --" + name);
        }
      } else if (arg.startsWith("-") && arg.length() > 1) {
        char c = arg.charAt(1);
        flag = known.stream().filter(f -> f.shorthand() != null && f.shorthand() == c).findFirst().orElse(null);
        shown = "'" + c + "' in " + arg;
        if (flag == null) {
          throw new NuctlError("unknown shorthand flag: '" + c + "' in " + arg);
        }
        if (arg.length() > 2) {
          value = arg.substring(arg.charAt(2) == '=' ? 3 : 2);
        }
      } else {
        positional.add(arg);
        continue;
      }
      if (flag.kind() == Kind.BOOL) {
        if (value == null) {
          value = "true";
        } else if (!value.matches("true|false|1|0|t|f|TRUE|FALSE|True|False")) {
          throw new NuctlError("invalid argument \"" + value + "\" for \"" + shown + "\" flag: strconv.ParseBool: "
              + "parsing \"" + value + "\": invalid syntax");
        }
      } else if (value == null) {
        if (i + 1 >= args.length) {
          throw new NuctlError("flag needs an argument: " + shown);
        }
        value = args[++i];
      }
      if (flag.kind() == Kind.INT && !value.matches("-?\\d+")) {
        throw new NuctlError("invalid argument \"" + value + "\" for \"" + shown + "\" flag: strconv.ParseInt: "
            + "parsing \"" + value + "\": invalid syntax");
      }
      flags.computeIfAbsent(flag.name(), k -> new ArrayList<>()).add(value);
    }
  }

  private void getProject(String name) throws NuctlError {
    if (name == null) {
      out.println("NAMESPACE | NAME");
      return;
    }
    if (state.getProperty("project." + name) == null) {
      throw new NuctlError("No projects found", true);
    }
    out.println("+-----------+------+-------------+");
    out.println("| NAMESPACE | NAME | DESCRIPTION |");
    out.println("+-----------+------+-------------+");
    out.println("| nuclio    | " + name + " |             |");
    out.println("+-----------+------+-------------+");
  }

  private void createProject(String name, Map<String, List<String>> flags) throws NuctlError {
    if (name == null) {
      throw new NuctlError("Project create requires an identifier");
    }
    if (state.getProperty("project." + name) != null) {
      throw new NuctlError("Failed to create project: Project name already exists", true);
    }
    state.setProperty("project." + name, "exists");
    log("Project created", "{\"Name\": \"" + name + "\", \"Namespace\": \"" + namespace(flags) + "\"}");
  }

  private void getFunction(String name, Map<String, List<String>> flags) throws NuctlError {
    String prefix = "function." + name + ".";
    if (name == null || state.getProperty(prefix + "state") == null) {
      throw new NuctlError("No functions found", true);
    }
    if (!"json".equals(last(flags, "output"))) {
      out.println("  NAMESPACE | NAME | PROJECT | STATE | REPLICAS | NODE PORT");
      out.println("  " + state.getProperty(prefix + "namespace", "nuclio") + " | " + name + " | "
          + state.getProperty(prefix + "project", "default") + " | " + state.getProperty(prefix + "state") + " | 1/1 | "
          + state.getProperty(prefix + "httpPort", "0"));
      return;
    }
    // After a deploy that returned early, the function stays in an interim state for some polls.
    int pending = Integer.parseInt(state.getProperty(prefix + "pendingPolls", "0"));
    if (pending > 0) {
      state.setProperty(prefix + "pendingPolls", Integer.toString(pending - 1));
      if (pending == 1) {
        state.setProperty(prefix + "state", state.getProperty(prefix + "finalState", "ready"));
        state.setProperty(prefix + "message", state.getProperty(prefix + "finalMessage", ""));
      }
    }
    String json = functionJson(name, "\t");
    if ("list".equals(config.getProperty("get.form"))) {
      // The list form, with another function first, as nuctl prints when more than one matches.
      out.println("[\n\t" + functionJson("some-other-function", "\t\t") + ",\n\t" + functionJson(name, "\t\t")
          + "\n]");
    } else {
      out.println(json);
    }
  }

  private void deleteFunction(String name, Map<String, List<String>> flags) throws NuctlError {
    String prefix = "function." + name + ".";
    String current = state.getProperty(prefix + "state");
    if (current == null) {
      return;
    }
    boolean force = "true".equals(last(flags, "force"));
    if (!force && !List.of("ready", "error", "unhealthy", "scaledToZero", "imported").contains(current)) {
      throw new NuctlError("Function is being provisioned and cannot be deleted", true);
    }
    state.stringPropertyNames().stream().filter(k -> k.startsWith(prefix)).toList().forEach(state::remove);
    log("Function deleted", "{\"name\": \"" + name + "\"}");
  }

  private void deploy(String name, Map<String, List<String>> flags) throws NuctlError {
    if (name == null) {
      throw new NuctlError("fake nuctl: cvat:deploy always names the function");
    }
    if (flags.containsKey("path") || flags.containsKey("source")) {
      throw new NuctlError("fake nuctl: this stand-in deploys prebuilt images only, but got a build (--path/--source)");
    }
    // Nuclio's ValidateFunctionConfig: a Kubernetes qualified name, on every platform.
    if (!name.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?") || name.length() > 63) {
      throw new NuctlError("Failed to deploy function: Function name doesn't conform to k8s naming convention. "
          + "Errors: a qualified name must consist of alphanumeric characters, '-', '_' or '.'");
    }
    if (last(flags, "run-image") == null) {
      throw new NuctlError("fake nuctl: no --run-image: a build was asked for");
    }
    if (last(flags, "runtime") == null) {
      throw new NuctlError("If image is passed, runtime must be specified");
    }
    String file = last(flags, "file");
    if (file != null && !Files.isRegularFile(Path.of(file))) {
      throw new NuctlError("Failed opening function config file: open " + file + ": no such file or directory");
    }
    String platformConfig = last(flags, "platform-config");
    if (platformConfig != null && !(platformConfig.startsWith("{") && platformConfig.endsWith("}"))) {
      throw new NuctlError("Failed config with complex args: Failed to decode function platform configuration");
    }
    String project = flags.containsKey("project-name") ? last(flags, "project-name") : "default";
    if (!project.equals("default") && state.getProperty("project." + project) == null) {
      throw new NuctlError("Failed to create function: Project does not exist");
    }
    String current = state.getProperty("function." + name + ".state");
    if (current != null && !List.of("ready", "error", "unhealthy", "scaledToZero", "imported").contains(current)) {
      throw new NuctlError("Failed to create function: Function cannot be updated when existing function is being "
          + "provisioned");
    }
    log("Deploying function", "{\"name\": \"" + name + "\"}");
    log("Skipping build", "{\"name\": \"" + name + "\"}");
    long sleep = Long.parseLong(config.getProperty("deploy.sleepMillis", "0"));
    if (sleep > 0) {
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int pendingPolls = Integer.parseInt(config.getProperty("deploy.pendingPolls", "0"));
    String finalState = config.getProperty("deploy.finalState", "ready");
    storeFunction(name, flags, pendingPolls > 0 ? config.getProperty("deploy.interimState", "building") : finalState,
        pendingPolls > 0 ? "" : config.getProperty("deploy.finalMessage", ""));
    String prefix = "function." + name + ".";
    state.setProperty(prefix + "pendingPolls", Integer.toString(pendingPolls));
    state.setProperty(prefix + "finalState", finalState);
    state.setProperty(prefix + "finalMessage", config.getProperty("deploy.finalMessage", ""));
    log("Function deploy complete", "{\"functionName\": \"" + name + "\", \"httpPort\": "
        + state.getProperty(prefix + "httpPort") + "}");
  }

  private void storeFunction(String name, Map<String, List<String>> flags, String functionState, String message) {
    String prefix = "function." + name + ".";
    state.setProperty(prefix + "state", functionState);
    state.setProperty(prefix + "message", message);
    state.setProperty(prefix + "image", String.valueOf(last(flags, "run-image")));
    state.setProperty(prefix + "handler", String.valueOf(last(flags, "handler")));
    state.setProperty(prefix + "runtime", String.valueOf(last(flags, "runtime")));
    state.setProperty(prefix + "project", flags.containsKey("project-name") ? last(flags, "project-name") : "default");
    state.setProperty(prefix + "namespace", namespace(flags));
    state.setProperty(prefix + "platform", String.valueOf(last(flags, "platform")));
    state.setProperty(prefix + "httpPort", "kube".equals(last(flags, "platform"))
        ? config.getProperty("kube.nodePort", "0") : config.getProperty("httpPort", "32768"));
    save();
  }

  /** The function as nuctl renders {@code ConfigWithStatus}: json.Marshal, then json.Indent with tabs. */
  private String functionJson(String name, String indent) {
    String prefix = "function." + name + ".";
    boolean kube = "kube".equals(state.getProperty(prefix + "platform"));
    String port = state.getProperty(prefix + "httpPort", "32768");
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", state.getProperty(prefix + "state", "ready"));
    String message = state.getProperty(prefix + "message", "");
    if (!message.isEmpty()) {
      status.put("message", message);
    }
    if (!port.equals("0")) {
      status.put("httpPort", Integer.parseInt(port));
    }
    String namespace = state.getProperty(prefix + "namespace", "nuclio");
    status.put("internalInvocationUrls", List.of(kube ? "nuclio-" + name + "." + namespace + ".svc.cluster.local:8080"
        : "172.18.0.7:8080"));
    String external = kube ? config.getProperty("kube.externalUrl") : "0.0.0.0:" + port;
    status.put("externalInvocationUrls", external == null ? List.of() : List.of(external));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    metadata.put("labels", Map.of("nuclio.io/project-name", state.getProperty(prefix + "project", "default")));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("handler", state.getProperty(prefix + "handler", "com.example.Other"));
    spec.put("runtime", state.getProperty(prefix + "runtime", "java"));
    spec.put("image", state.getProperty(prefix + "image", "example/other:1"));
    spec.put("readinessTimeoutSeconds", 300);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("metadata", metadata);
    root.put("spec", spec);
    root.put("status", status);
    return json(root, indent);
  }

  private static String json(Object value, String indent) {
    if (value instanceof Map<?, ?> map) {
      StringJoiner fields = new StringJoiner(",\n", "{\n", "\n" + indent.substring(1) + "}");
      map.forEach((k, v) -> fields.add(indent + quote(k.toString()) + ": " + json(v, indent + "\t")));
      return fields.toString();
    }
    if (value instanceof List<?> list) {
      StringJoiner items = new StringJoiner(",\n", "[\n", "\n" + indent.substring(1) + "]");
      list.forEach(v -> items.add(indent + json(v, indent + "\t")));
      return list.isEmpty() ? "[]" : items.toString();
    }
    return value instanceof Number ? value.toString() : quote(String.valueOf(value));
  }

  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        default -> quoted.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return quoted.append('"').toString();
  }

  private void log(String message, String with) {
    // nuctl's zap console format: time, logger name, level, message, context
    out.println("25.01.02 14:26:48.123                     nuctl (I) " + message + " " + with);
  }

  private static String namespace(Map<String, List<String>> flags) {
    String namespace = last(flags, "namespace");
    return namespace == null ? "nuclio" : namespace;
  }

  private static String last(Map<String, List<String>> flags, String name) {
    List<String> values = flags.get(name);
    return values == null ? null : values.get(values.size() - 1);
  }

  private static void load(Properties properties, Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
    }
  }

  private void save() {
    try (Writer writer = Files.newBufferedWriter(home.resolve("state.properties"), StandardCharsets.UTF_8)) {
      state.store(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
