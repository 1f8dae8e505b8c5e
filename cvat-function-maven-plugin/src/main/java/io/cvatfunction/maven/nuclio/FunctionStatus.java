package io.cvatfunction.maven.nuclio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A function as {@code nuctl get function NAME -o json} reports it ({@code {metadata, spec, status}}).
 *
 * @param name {@code metadata.name}
 * @param state {@code status.state}, e.g. {@code ready}, {@code building}, {@code error}
 * @param message {@code status.message}: why it is in {@code error}, when it is
 * @param httpPort {@code status.httpPort}: the published port on the local platform, the node port on kube; 0 if none
 * @param internalUrls {@code status.internalInvocationUrls}
 * @param externalUrls {@code status.externalInvocationUrls}
 */
public record FunctionStatus(
    String name, String state, String message, int httpPort, List<String> internalUrls, List<String> externalUrls) {

  /** States in which Nuclio accepts an update or delete; any other state means a deploy is (or was left) under way. */
  public static final Set<String> PROVISIONED = Set.of("ready", "error", "unhealthy", "scaledToZero", "imported");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Parses nuctl's output. nuctl prints a single object when one function matches and a list otherwise; log
   * lines before the JSON are skipped.
   *
   * @return the function named {@code name}
   * @throws NuclioException when the output holds no JSON, or the function is not in it
   */
  public static FunctionStatus parse(String output, String name) throws NuclioException {
    JsonNode root = json(output);
    List<JsonNode> candidates = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(candidates::add);
    } else {
      candidates.add(root);
    }
    for (JsonNode function : candidates) {
      if (name.equals(function.path("metadata").path("name").asText())) {
        return of(function);
      }
    }
    throw new NuclioException("nuctl's answer does not include function " + name + ": " + abbreviate(output));
  }

  private static FunctionStatus of(JsonNode function) {
    JsonNode status = function.path("status");
    return new FunctionStatus(
        function.path("metadata").path("name").asText(),
        status.path("state").asText(""),
        status.path("message").asText(""),
        status.path("httpPort").asInt(0),
        strings(status.path("internalInvocationUrls")),
        strings(status.path("externalInvocationUrls")));
  }

  private static JsonNode json(String output) throws NuclioException {
    int start = -1;
    int lineStart = 0;
    // The JSON starts at the first line that opens an object or a list.
    while (lineStart < output.length()) {
      char c = output.charAt(lineStart);
      if (c == '{' || c == '[') {
        start = lineStart;
        break;
      }
      int next = output.indexOf('\n', lineStart);
      if (next < 0) {
        break;
      }
      lineStart = next + 1;
    }
    if (start < 0) {
      throw new NuclioException("nuctl printed no JSON for get function -o json: " + abbreviate(output));
    }
    try {
      return JSON.readTree(output.substring(start));
    } catch (JsonProcessingException e) {
      throw new NuclioException("nuctl's get function -o json output is not valid JSON (" + e.getOriginalMessage()
          + "): " + abbreviate(output));
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return List.copyOf(values);
  }

  private static String abbreviate(String output) {
    String trimmed = output.strip();
    return trimmed.isEmpty() ? "(nothing)" : trimmed.length() <= 400 ? trimmed : trimmed.substring(0, 400) + "...";
  }

  /** Whether Nuclio would refuse to update or delete it without {@code --force}: a deploy was left under way. */
  public boolean provisioning() {
    return !PROVISIONED.contains(state);
  }

  /**
   * Where to send requests from this machine.
   *
   * @param platform {@code local} or {@code kube}
   * @return on local, {@code http://localhost:<httpPort>}; on kube the first external invocation URL, else the
   *     first internal one (reachable from inside the cluster only); empty when Nuclio reports none
   */
  public Optional<String> invocationUrl(String platform) {
    if (platform.equals("local")) {
      return httpPort > 0 ? Optional.of("http://localhost:" + httpPort) : Optional.empty();
    }
    return externalUrls.stream().findFirst().or(() -> internalUrls.stream().findFirst())
        .map(url -> url.contains("://") ? url : "http://" + url);
  }

  /** The last line of {@code message}: Nuclio's last word on why the function is in {@code error}. */
  public String messageLastLine() {
    List<String> lines = messageLines();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  /** The last {@link Nuctl#TAIL_LINES} lines of {@code message}, indented to quote in a failure message. */
  public String messageTail() {
    List<String> lines = messageLines();
    return String.join("\n    ", lines.subList(Math.max(0, lines.size() - Nuctl.TAIL_LINES), lines.size()));
  }

  private List<String> messageLines() {
    return message.lines().filter(l -> !l.isBlank()).toList();
  }
}
