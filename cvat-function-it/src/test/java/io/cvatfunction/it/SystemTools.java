package io.cvatfunction.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the image tests where the system tools they drive are present (CI: {@code .ci/run} installs them) and
 * skips them elsewhere with one line that names what is missing and how to install it, so that the build
 * passes on a machine with a JDK alone. On CI ({@code CI=true}) they always run: a skip there would hide them.
 */
public final class SystemTools implements ExecutionCondition {

  /** What the image tests run: debootstrap builds their base image, umoci and skopeo pack and inspect images. */
  static final List<String> TOOLS = List.of("debootstrap", "umoci", "skopeo", "docker-registry");

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if ("true".equals(System.getenv("CI"))) {
      return ConditionEvaluationResult.enabled("CI runs the image tests: .ci/run installs their tools");
    }
    List<String> missing = missing(System.getenv("PATH"));
    boolean root = "root".equals(System.getProperty("user.name"));
    if (missing.isEmpty() && root) {
      return ConditionEvaluationResult.enabled("the image tools are on PATH and the tests run as root");
    }
    String why = (missing.isEmpty() ? "" : String.join(", ", missing) + " not on PATH")
        + (missing.isEmpty() || root ? "" : ", and ")
        + (root ? "" : "not root (they chroot into the image and mount /proc)");
    String line = context.getDisplayName() + " skipped: " + why + "; to run the image tests: sudo apt-get install "
        + String.join(" ", TOOLS) + ", then build as root";
    System.out.println("[WARNING] " + line);
    return ConditionEvaluationResult.disabled(line);
  }

  /** The tools that no directory of {@code path} holds as an executable. */
  static List<String> missing(String path) {
    List<String> missing = new ArrayList<>();
    for (String tool : TOOLS) {
      boolean found = false;
      for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
        found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool));
      }
      if (!found) {
        missing.add(tool);
      }
    }
    return missing;
  }
}
