package io.cvatfunction.runtime.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The few CVAT REST calls {@code cvat:annotate} needs, on the JDK's HTTP client: every request accepts
 * {@code application/vnd.cvat+json} (CVAT answers {@code application/json} with 406), carries the organization
 * when one is given and no cookies (CSRF applies to cookie sessions only), and is repeated with backoff after a
 * server error or a dropped connection.
 */
public final class CvatClient {

  static final String ACCEPT = "application/vnd.cvat+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI base;
  private final Optional<String> org;
  private final Retry retry;
  private final Consumer<String> warnings;
  private volatile String authorization;

  private CvatClient(URI base, Optional<String> org, Retry retry, Consumer<String> warnings) {
    this.http = HttpClient.newBuilder()
        // HTTP/1.1: the default HTTP/2 sends plain-http requests with an h2c upgrade, which some proxies in front
        // of CVAT mishandle.
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    this.base = base;
    this.org = org;
    this.retry = retry;
    this.warnings = warnings;
  }

  /**
   * Signs in: a token is tried as a personal access token ({@code Bearer}), then, on 401, as a login key
   * ({@code Token}, servers before personal access tokens); a user name and password are exchanged for a login key.
   *
   * @param base CVAT's address, e.g. {@code https://cvat.example.com}
   * @param org an organization's slug, or empty
   * @param warnings where repeated requests are reported
   * @throws CvatException when CVAT cannot be reached or refuses the credentials
   */
  public static CvatClient signIn(URI base, Optional<String> org, CvatCredentials credentials, Retry retry,
      Consumer<String> warnings) throws CvatException {
    CvatClient client = new CvatClient(base, org, retry, warnings);
    if (credentials instanceof CvatCredentials.Token token) {
      client.authorization = "Bearer " + token.token();
      Response self = client.send(client.request("/api/users/self").GET(), "check the access token");
      if (self.statusCode() != 401) {
        client.expectOk(self, "check the access token");
      } else {
        client.authorization = "Token " + token.token();
        Response legacy = client.send(client.request("/api/users/self").GET(), "check the access token");
        if (legacy.statusCode() == 401) {
          throw new CvatException("CVAT at " + base + " refused the access token (401 "
              + legacy.detail() + "): create a new one in CVAT (user menu > Settings > Access tokens), or set "
              + "CVAT_USERNAME and CVAT_PASSWORD instead");
        }
        client.expectOk(legacy, "check the access token");
      }
    } else if (credentials instanceof CvatCredentials.Login login) {
      ObjectNode body = JSON.createObjectNode().put("username", login.username()).put("password", login.password());
      Response answer = client.send(client.request("/api/auth/login").POST(json(body))
          .header("Content-Type", "application/json"), "sign in");
      if (answer.statusCode() == 400 || answer.statusCode() == 401) {
        throw new CvatException("CVAT at " + base + " refused the user name or password for " + login.username()
            + " (" + answer.statusCode() + " " + answer.detail() + "): check them, or use an access token");
      }
      client.expectOk(answer, "sign in");
      JsonNode key = answer.json().path("key");
      if (!key.isTextual() || key.asText().isEmpty()) {
        throw new CvatException("CVAT at " + base + " answered the sign-in without a key: is " + base
            + " a CVAT server?");
      }
      client.authorization = "Token " + key.asText();
    }
    return client;
  }

  /** {@code GET /api/tasks/{id}}. */
  public JsonNode task(int id) throws CvatException {
    Response answer = send(request("/api/tasks/" + id).GET(), "read task " + id);
    if (answer.statusCode() == 404 && !answer.detail().contains("organization does not exist")) {
      throw new CvatException("task " + id + " does not exist on " + base + ": check -Dcvat.annotate.task / --task");
    }
    if (answer.statusCode() == 403) {
      throw new CvatException("task " + id + " on " + base + " is not yours to annotate (403 " + answer.detail()
          + "): it may belong to an organization you are not a member of; ask for access, or check the task id");
    }
    return expectOk(answer, "read task " + id).json();
  }

  /** {@code GET /api/tasks/{id}/data/meta}. */
  public JsonNode dataMeta(int id) throws CvatException {
    return expectOk(send(request("/api/tasks/" + id + "/data/meta").GET(), "read the frames of task " + id),
        "read the frames of task " + id).json();
  }

  /** Every top-level label of the task (its project's, when it is in one), following the pages. */
  public List<JsonNode> labels(int taskId) throws CvatException {
    List<JsonNode> labels = new ArrayList<>();
    URI next = base.resolve("/api/labels?task_id=" + taskId + "&page_size=100");
    while (next != null) {
      JsonNode page = expectOk(send(request(next).GET(), "read the labels of task " + taskId),
          "read the labels of task " + taskId).json();
      page.path("results").forEach(labels::add);
      JsonNode link = page.path("next");
      next = link.isTextual() && !link.asText().isEmpty() ? sameServer(URI.create(link.asText())) : null;
    }
    return labels;
  }

  /**
   * A link CVAT built from the request's host, taken to the server this client talks to: behind a proxy that
   * terminates TLS it may name {@code http://} or an inner host, where the token must not go.
   */
  private URI sameServer(URI link) {
    return base.resolve(link.getRawPath() + (link.getRawQuery() == null ? "" : "?" + link.getRawQuery()));
  }

  /** The original-quality chunk {@code number} of a task: a ZIP of its frame files. */
  public byte[] chunk(int taskId, int number) throws CvatException {
    String what = "download chunk " + number + " of task " + taskId;
    return expectOk(send(request("/api/tasks/" + taskId + "/data?type=chunk&quality=original&number=" + number)
        .GET(), what), what).body();
  }

  /**
   * {@code PATCH .../annotations?action=create}: adds the shapes and tags of {@code body}, atomically. A write whose
   * answer never came (a dropped connection, a proxy's 502 or 504) may have been applied: before sending it again,
   * {@code landed} is asked, and a write CVAT already holds is not sent twice.
   */
  public void create(int taskId, byte[] body, String what, Landed landed) throws CvatException {
    expectOk(send(request("/api/tasks/" + taskId + "/annotations?action=create")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json"), what, landed), what);
  }

  /** Whether a write whose answer was lost is in CVAT. */
  @FunctionalInterface
  public interface Landed {
    /**
     * Asks CVAT.
     *
     * @throws CvatException when CVAT cannot be asked
     */
    boolean check() throws CvatException;
  }

  /** {@code GET .../annotations}: the task's tags, shapes and tracks. */
  public JsonNode annotations(int taskId) throws CvatException {
    String what = "read the annotations of task " + taskId;
    return expectOk(send(request("/api/tasks/" + taskId + "/annotations").GET(), what), what).json();
  }

  /** {@code DELETE .../annotations}: removes every tag, shape and track of the task. */
  public void clear(int taskId) throws CvatException {
    String what = "clear the annotations of task " + taskId;
    expectOk(send(request("/api/tasks/" + taskId + "/annotations").DELETE(), what), what);
  }

  /** The server. */
  public URI base() {
    return base;
  }

  private HttpRequest.Builder request(String path) {
    return request(base.resolve(path));
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).header("Accept", ACCEPT);
    // The header, not ?org=: the labels' next-page links may carry the query already, and the two must agree.
    org.ifPresent(slug -> builder.header("X-Organization", slug));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private static HttpRequest.BodyPublisher json(JsonNode body) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An answer: status and body. */
  record Response(int statusCode, byte[] body) {
    JsonNode json() throws CvatException {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new CvatException("CVAT's answer is not JSON (" + e.getMessage() + "): is the URL a CVAT server?");
      }
    }

    /** The error text of an answer: DRF's {@code detail}, or the body itself, short. */
    String detail() {
      String text = new String(body, StandardCharsets.UTF_8).strip();
      try {
        JsonNode node = JSON.readTree(body);
        if (node != null && node.path("detail").isTextual()) {
          text = node.path("detail").asText();
        }
      } catch (IOException notJson) {
        // the text as it is
      }
      return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
  }

  private Response expectOk(Response answer, String what) throws CvatException {
    int status = answer.statusCode();
    if (status >= 200 && status < 300) {
      return answer;
    }
    if (status == 404 && answer.detail().contains("organization does not exist")) {
      throw new CvatException(answer.detail() + " (" + base + "): check -Dcvat.annotate.org / --org, the "
          + "organization's short name");
    }
    String hint = switch (status) {
      case 401 -> ": the credentials were refused; check CVAT_ACCESS_TOKEN or the user name and password";
      case 403 -> ": you may not do this; check the task's organization (-Dcvat.annotate.org / --org) and your role";
      case 406 -> ": CVAT refused the Accept header; is this CVAT 2.x?";
      default -> "";
    };
    throw new CvatException("could not " + what + ": CVAT answered " + status + " " + answer.detail() + hint);
  }

  private Response send(HttpRequest.Builder request, String what) throws CvatException {
    return send(request, what, null);
  }

  /**
   * Sends, repeating after a 5xx, a 429 or a connection that failed, with backoff. A write ({@code landed} given)
   * whose answer was lost is sent again only once CVAT has said it does not hold it.
   */
  private Response send(HttpRequest.Builder request, String what, Landed landed) throws CvatException {
    HttpRequest built = request.build();
    String failure = null;
    boolean answerLost = false;
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      if (attempt > 1) {
        Duration wait = retry.delayBefore(attempt);
        warnings.accept("could not " + what + " (" + failure + "); try " + attempt + " of " + retry.attempts()
            + " in " + wait.toMillis() + " ms");
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CvatException("interrupted while waiting to " + what);
        }
        if (answerLost && landed != null) {
          try {
            if (landed.check()) {
              warnings.accept("CVAT had applied the request to " + what + " before its answer was lost: not sent "
                  + "again");
              return new Response(200, new byte[0]);
            }
            answerLost = false;
          } catch (CvatException e) {
            failure = "an earlier try's answer was lost, and whether CVAT applied it is unknown: " + e.getMessage();
            continue;
          }
        }
      }
      try {
        HttpResponse<byte[]> answer = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        Response response = new Response(answer.statusCode(), answer.body());
        if (answer.statusCode() < 500 && answer.statusCode() != 429) {
          return response;
        }
        failure = answer.statusCode() + " " + response.detail();
        answerLost = answer.statusCode() == 502 || answer.statusCode() == 504; // a proxy gave up waiting
      } catch (IOException e) {
        failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        answerLost = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CvatException("interrupted while trying to " + what);
      }
    }
    throw new CvatException("could not " + what + " at " + base + " after " + retry.attempts() + " tries: " + failure);
  }
}
