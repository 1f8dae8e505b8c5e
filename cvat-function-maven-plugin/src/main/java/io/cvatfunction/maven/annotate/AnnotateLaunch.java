package io.cvatfunction.maven.annotate;

import io.cvatfunction.contract.ServerMain;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cvat:annotate}'s parameters, checked, as the command line of the JVM that annotates: the runtime's
 * {@code annotate} command with the project's runtime classpath, the function's handler and the device, as
 * {@code cvat:run} starts the server. No credential is ever part of it.
 *
 * @param url {@code cvat.annotate.url}
 * @param task {@code cvat.annotate.task}
 * @param frames {@code cvat.annotate.frames}, or null
 * @param threshold {@code cvat.annotate.threshold}, or null
 * @param clearExisting {@code cvat.annotate.clearExisting}
 * @param allowUnmatchedLabels {@code cvat.annotate.allowUnmatchedLabels}
 * @param convMaskToPoly {@code cvat.annotate.convMaskToPoly}
 * @param org {@code cvat.annotate.org}, or null
 * @param device {@code cvat.annotate.device}
 * @param dryRun {@code cvat.annotate.dryRun}
 */
public record AnnotateLaunch(String url, int task, String frames, Float threshold, boolean clearExisting,
    boolean allowUnmatchedLabels, boolean convMaskToPoly, String org, String device, boolean dryRun) {

  /**
   * The server address.
   *
   * @throws IllegalArgumentException naming the parameter
   */
  public URI uri() {
    require(url != null && !url.isBlank(), "cvat.annotate.url is not set: give CVAT's address, e.g. "
        + "-Dcvat.annotate.url=https://cvat.example.com");
    try {
      URI uri = new URI(url.trim());
      require(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null,
          "cvat.annotate.url must be http(s)://host[:port], got '" + url + "'");
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cvat.annotate.url '" + url + "' is not a URL: " + e.getReason());
    }
  }

  /** Where a dry run writes CVAT's JSON. */
  public Path dryRunFile(Path buildDirectory) {
    return buildDirectory.resolve("cvat").resolve("annotations-" + task + ".json");
  }

  /** The resume file of the task. */
  public Path resumeFile(Path buildDirectory) {
    return buildDirectory.resolve("cvat").resolve("annotate-" + task + ".resume");
  }

  /**
   * The command line.
   *
   * @param java the {@code java} executable
   * @param jvmArgs extra JVM arguments
   * @param classpath the project's runtime classpath
   * @param handlerClass the function class
   * @param model a model overriding the annotation's, if any
   * @param buildDirectory {@code target}, where the dry run's JSON and the resume file go
   * @throws IllegalArgumentException naming the parameter that is wrong and what it takes
   */
  public List<String> command(Path java, List<String> jvmArgs, List<String> classpath, String handlerClass,
      Optional<String> model, Path buildDirectory) {
    URI uri = uri();
    require(task > 0, "cvat.annotate.task must be the task's id (the number in its CVAT URL), got " + task);
    require(threshold == null || (threshold >= 0 && threshold <= 1),
        "cvat.annotate.threshold must be in [0, 1], got " + threshold);
    require(device != null && device.matches("auto|cpu|gpu|gpu:\\d+"),
        "cvat.annotate.device must be auto, cpu, gpu or gpu:N, got '" + device + "'");
    require(!(dryRun && clearExisting), "cvat.annotate.dryRun uploads nothing, so cvat.annotate.clearExisting "
        + "cannot apply: leave out one of them");
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("cvat.handler", handlerClass);
    properties.put("cvat.device", device);
    model.ifPresent(m -> properties.put("cvat.model", m));
    List<String> command = new ArrayList<>(ServerMain.command(java.toString(), jvmArgs, properties,
        String.join(File.pathSeparator, classpath)));
    command.add("annotate");
    command.add("--url");
    command.add(uri.toString());
    command.add("--task");
    command.add(Integer.toString(task));
    if (frames != null && !frames.isBlank()) {
      command.add("--frames");
      command.add(frames.trim());
    }
    if (threshold != null) {
      command.add("--threshold");
      command.add(threshold.toString());
    }
    if (clearExisting) {
      command.add("--clear-existing");
    }
    if (allowUnmatchedLabels) {
      command.add("--allow-unmatched-labels");
    }
    if (convMaskToPoly) {
      command.add("--conv-mask-to-poly");
    }
    if (org != null && !org.isBlank()) {
      command.add("--org");
      command.add(org.trim());
    }
    if (dryRun) {
      command.add("--dry-run");
      command.add(dryRunFile(buildDirectory).toString());
    } else {
      command.add("--resume");
      command.add(resumeFile(buildDirectory).toString());
    }
    return command;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
