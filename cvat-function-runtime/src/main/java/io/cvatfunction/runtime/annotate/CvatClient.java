package io.cvatfunction.runtime.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The few CVAT REST calls {@code cvat:annotate} needs, on the JDK's HTTP client: every request accepts
 * {@code application/vnd.cvat+json} (CVAT answers {@code application/json} with 406), carries the organization
 * when one is given and no cookies (CSRF applies to cookie sessions only), and is repeated with backoff after a
 * server error or a dropped connection.
 */
public final class CvatClient {

  static final String ACCEPT = "application/vnd.cvat+json";
  /** The answer taken for a write found in CVAT after its own answer was lost. */
  private static final Response CARRIED_OUT = new Response(200, new byte[0]);

  /** The longest wait for a write whose answer was lost to land before CVAT is asked whether it holds it. */
  private static final Duration LONGEST_SETTLE = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI base;
  private final Optional<String> org;
  private final Retry retry;
  private final Consumer<String> warnings;
  private volatile String authorization;
  private final Map<Integer, List<Job>> taskJobs = new ConcurrentHashMap<>();

  private CvatClient(URI base, Optional<String> org, Retry retry, Consumer<String> warnings) {
    this.http = HttpClient.newBuilder()
        // HTTP/1.1: the default HTTP/2 sends plain-http requests with an h2c upgrade, which some proxies in front
        // of CVAT mishandle.
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(20))
        // A redirect is the user's to follow: it would turn the sign-in's POST into a GET, or take the token elsewhere.
        .followRedirects(HttpClient.Redirect.NEVER)
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
    return listed("/api/labels?task_id=" + taskId + "&page_size=100", "read the labels of task " + taskId, this::send);
  }

  /** Every item of a paginated list, following its {@code next} links on this server. */
  private List<JsonNode> listed(String path, String what, Reader reader) throws CvatException {
    List<JsonNode> items = new ArrayList<>();
    URI next = base.resolve(path);
    while (next != null) {
      JsonNode page = expectOk(reader.read(request(next).GET(), what), what).json();
      page.path("results").forEach(items::add);
      JsonNode link = page.path("next");
      next = link.isTextual() && !link.asText().isEmpty() ? sameServer(URI.create(link.asText())) : null;
    }
    return items;
  }

  /**
   * A link CVAT built from the request's host, taken to the server this client talks to: behind a proxy that
   * terminates TLS it may name {@code http://} or an inner host, where the token must not go.
   */
  private URI sameServer(URI link) {
    return base.resolve(link.getRawPath() + (link.getRawQuery() == null ? "" : "?" + link.getRawQuery()));
  }

  /**
   * The honeypot frames of a task that checks its annotators with honeypots ({@code validation_mode gt_pool}): CVAT
   * fills them with copies of its validation frames' annotations.
   */
  public SortedSet<Integer> honeypotFrames(int taskId) throws CvatException {
    String what = "read the validation layout of task " + taskId;
    JsonNode layout = expectOk(send(request("/api/tasks/" + taskId + "/validation_layout").GET(), what), what).json();
    SortedSet<Integer> frames = new TreeSet<>();
    layout.path("honeypot_frames").forEach(frame -> frames.add(frame.asInt()));
    return frames;
  }

  /** The original-quality chunk {@code number} of a task: a ZIP of its frame files. */
  public byte[] chunk(int taskId, int number) throws CvatException {
    String what = "download chunk " + number + " of task " + taskId;
    return expectOk(send(request("/api/tasks/" + taskId + "/data?type=chunk&quality=original&number=" + number)
        .GET(), what), what).body();
  }

  /**
   * {@code PATCH .../annotations?action=create}: adds the shapes and tags of {@code body}, on {@code frames},
   * atomically. A write whose answer was lost or was a server error may have been applied: before it is sent again
   * the annotations on its frames are read (one try: the write's own tries repeat it), and a write they
   * {@code hold} is not sent twice.
   *
   * @throws UnconfirmedWriteException when the last try's answer was lost and CVAT could not be asked after it
   */
  public void create(int taskId, SortedSet<Integer> frames, byte[] body, String what, Predicate<JsonNode> hold)
      throws CvatException {
    expectOk(send(request("/api/tasks/" + taskId + "/annotations?action=create")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json"), what,
        () -> hold.test(annotations(taskId, frames, this::once))), what);
  }

  /**
   * The tags and shapes CVAT holds on {@code frames}: read from the jobs that hold them, as a whole task's annotations
   * can be far larger than one upload's, or from the whole task when its jobs cannot be used.
   */
  public JsonNode annotations(int taskId, SortedSet<Integer> frames) throws CvatException {
    return annotations(taskId, frames, this::send);
  }

  private JsonNode annotations(int taskId, SortedSet<Integer> frames, Reader reader) throws CvatException {
    Optional<JsonNode> fromJobs = fromJobs(taskId, frames, reader);
    if (fromJobs.isPresent()) {
      return fromJobs.get();
    }
    String what = "read the annotations of task " + taskId;
    return expectOk(reader.read(request("/api/tasks/" + taskId + "/annotations").GET(), what), what).json();
  }

  /**
   * The tags and shapes on {@code frames}, read from the jobs that hold them; empty when the listed jobs do not hold
   * every frame, or when a job's read is refused (then no job is read again in this run).
   */
  private Optional<JsonNode> fromJobs(int taskId, SortedSet<Integer> frames, Reader reader) throws CvatException {
    Optional<Map<Job, SortedSet<Integer>>> covering = Job.covering(jobs(taskId), frames);
    if (covering.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode held = JSON.createObjectNode();
    ArrayNode tags = held.putArray("tags");
    ArrayNode shapes = held.putArray("shapes");
    for (Map.Entry<Job, SortedSet<Integer>> job : covering.get().entrySet()) {
      String what = "read the annotations of job " + job.getKey().id() + " of task " + taskId;
      Response answer = reader.read(request("/api/jobs/" + job.getKey().id() + "/annotations").GET(), what);
      if (answer.statusCode() >= 400 && answer.statusCode() < 500 && answer.statusCode() != 429) {
        taskJobs.put(taskId, List.of()); // e.g. a proxy that lets only the task's paths through
        return Optional.empty();
      }
      JsonNode data = expectOk(answer, what).json();
      // Each frame from one job: a task whose jobs overlap keeps a shape on a shared frame in both.
      Predicate<JsonNode> assigned = item -> job.getValue().contains(item.path("frame").asInt());
      data.path("tags").forEach(item -> add(tags, item, assigned));
      data.path("shapes").forEach(item -> add(shapes, item, assigned));
    }
    return Optional.of(held);
  }

  private static void add(ArrayNode items, JsonNode item, Predicate<JsonNode> wanted) {
    if (wanted.test(item)) {
      items.add(item);
    }
  }

  /**
   * The task's annotation jobs, listed once (CVAT makes them with the task), with the client's tries. None when they
   * cannot be listed, or are not listed to this user (a task of an organization not named): then a lost write is
   * looked for in the whole task.
   */
  private List<Job> jobs(int taskId) {
    List<Job> known = taskJobs.get(taskId);
    if (known != null) {
      return known;
    }
    try {
      known = listed("/api/jobs?task_id=" + taskId + "&type=annotation&page_size=100", "list the jobs of task "
          + taskId, this::send).stream()
          .filter(job -> job.path("task_id").asInt(taskId) == taskId && job.path("type").asText("annotation")
              .equals("annotation") && job.path("id").isInt() && job.path("start_frame").isInt()
              && job.path("stop_frame").isInt())
          .map(job -> new Job(job.get("id").asInt(), job.get("start_frame").asInt(), job.get("stop_frame").asInt()))
          .toList();
    } catch (CvatException e) {
      warnings.accept(e.getMessage() + "; an upload whose answer is lost is looked for in the whole task instead");
      known = List.of();
    }
    taskJobs.put(taskId, known); // listed without holding a lock: at worst two threads list them both
    return known;
  }

  /**
   * An annotation job of a task: CVAT keeps a task's annotations in its jobs, each holding the task frames
   * {@code start} to {@code stop}, and splits a write to the task among them.
   */
  record Job(int id, int start, int stop) {
    /**
     * The jobs that hold {@code frames}, each with the frames to read from it (a frame two jobs hold, from the first);
     * empty when a frame is in none of them.
     */
    static Optional<Map<Job, SortedSet<Integer>>> covering(List<Job> jobs, SortedSet<Integer> frames) {
      Map<Job, SortedSet<Integer>> covering = new LinkedHashMap<>();
      for (int frame : frames) {
        Optional<Job> job = jobs.stream().filter(j -> j.start() <= frame && frame <= j.stop()).findFirst();
        if (job.isEmpty()) {
          return Optional.empty();
        }
        covering.computeIfAbsent(job.get(), j -> new TreeSet<>()).add(frame);
      }
      return Optional.of(covering);
    }
  }

  /** One try, as a lost write is checked: the write's own tries repeat the check. */
  private Response once(HttpRequest.Builder request, String what) throws CvatException {
    try {
      return exchange(request.build());
    } catch (IOException e) {
      throw new CvatException("could not " + what + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CvatException("interrupted while trying to " + what);
    }
  }

  /** How a request is sent: with the client's tries, or once. */
  @FunctionalInterface
  private interface Reader {
    Response read(HttpRequest.Builder request, String what) throws CvatException;
  }

  /** Whether a write whose answer was lost is in CVAT. */
  @FunctionalInterface
  private interface Landed {
    boolean check() throws CvatException;
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

  /**
   * An answer: status, body, and how long a busy server (429, 503) asked to wait before the next try.
   */
  record Response(int statusCode, byte[] body, Optional<Duration> retryAfter) {
    Response(int statusCode, byte[] body) {
      this(statusCode, body, Optional.empty());
    }

    JsonNode json() throws CvatException {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new CvatException("CVAT's answer is not JSON (" + e.getMessage() + "): is the URL a CVAT server?");
      }
    }

    /**
     * The error text of an answer: the first message in it with where it points ({@code shapes[57].points: ...}, as
     * DRF nests a serializer's errors; or DRF's {@code detail}, a dataset error's list, a bare string), or the body
     * itself, short.
     */
    String detail() {
      String text = new String(body, StandardCharsets.UTF_8).strip();
      try {
        JsonNode node = JSON.readTree(body);
        if (node != null) {
          text = firstMessage(node, "").orElse(text);
        }
      } catch (IOException notJson) {
        // the text as it is
      }
      return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static Optional<String> firstMessage(JsonNode node, String path) {
      if (node.isTextual() && !node.asText().isBlank()) {
        return Optional.of(path.isEmpty() ? node.asText() : path + ": " + node.asText());
      }
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          Optional<String> found = firstMessage(node.get(i), node.get(i).isTextual() ? path : path + "[" + i + "]");
          if (found.isPresent()) {
            return found;
          }
        }
      } else if (node.isObject()) {
        if (node.path("detail").isTextual()) {
          return firstMessage(node.get("detail"), path);
        }
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
          String key = field.getKey();
          Optional<String> found = firstMessage(field.getValue(), key.equals("non_field_errors") ? path
              : path.isEmpty() ? key : path + "." + key);
          if (found.isPresent()) {
            return found;
          }
        }
      }
      return Optional.empty();
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
   * Sends, repeating after a 5xx, a 429 or a connection that failed, with backoff. A busy server's answer that says
   * when to come back is waited out as asked, within {@link Retry#busyPatience}, without using up a try. A write
   * ({@code landed} given) whose answer was lost or a 5xx is sent again only once CVAT has said it does not hold it,
   * asked no sooner than the lost try took (a proxy's timeout: CVAT may still be writing it).
   */
  private Response send(HttpRequest.Builder request, String what, Landed landed) throws CvatException {
    HttpRequest built = request.build();
    String failure = null;
    boolean inDoubt = false;
    long sent = System.nanoTime();
    long busyUntil = sent + retry.busyPatience().toNanos();
    Duration asked = Duration.ZERO; // what the last busy answer that was not waited out asked for
    Duration settle = Duration.ZERO;
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      if (attempt > 1) {
        Duration backoff = max(retry.delayBefore(attempt), min(asked, Retry.LONGEST_DELAY));
        boolean settling = inDoubt && settle.compareTo(backoff) > 0;
        Duration wait = settling ? settle : backoff;
        warnings.accept("could not " + what + " (" + failure + "); try " + attempt + " of " + retry.attempts()
            + " in " + wait.toMillis() + " ms" + (settling ? ", as long as the lost try took: CVAT may still be "
                + "carrying it out" : ""));
        pause(wait, what, inDoubt);
        settle = Duration.ZERO; // waited once
        if (inDoubt) {
          Optional<Boolean> done = carriedOut(landed, what, failure);
          if (done.isEmpty()) {
            failure = "an earlier try's answer was lost, and whether CVAT carried it out is unknown";
            continue;
          }
          if (done.get()) {
            return CARRIED_OUT;
          }
          inDoubt = false;
        }
      }
      long started = System.nanoTime();
      try {
        Response response = exchange(built);
        for (Optional<Duration> busy = busyWait(response);
            busy.isPresent() && System.nanoTime() + busy.get().toNanos() <= busyUntil; busy = busyWait(response)) {
          warnings.accept("CVAT is busy (" + response.statusCode() + ") and asks to " + what + " again in "
              + busy.get().toSeconds() + " s; waiting");
          pause(busy.get(), what, false);
          started = System.nanoTime();
          response = exchange(built);
        }
        if (response.statusCode() < 500 && response.statusCode() != 429) {
          return response;
        }
        String detail = response.detail();
        asked = response.retryAfter().orElse(Duration.ZERO);
        failure = response.statusCode() + (detail.isEmpty() ? "" : " " + detail) + (response.retryAfter().isEmpty()
            ? "" : " (CVAT was still busy " + Duration.ofNanos(System.nanoTime() - sent).toSeconds() + " s after the "
                + "first try and asked for " + asked.toSeconds() + " s more; a request waits for a busy CVAT at most "
                + retry.busyPatience().toSeconds() + " s)");
        // A proxy may have given up while CVAT wrote; a 503 (as a 429) is a server that took nothing on.
        inDoubt = landed != null && response.statusCode() != 503 && response.statusCode() != 429;
      } catch (IOException e) {
        asked = Duration.ZERO;
        failure = describe(e);
        inDoubt = landed != null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CvatException("interrupted while trying to " + what);
      }
      if (inDoubt) {
        // A proxy that gave up after a while leaves CVAT writing: it gets as long again before it is asked.
        settle = min(Duration.ofNanos(System.nanoTime() - started), LONGEST_SETTLE);
      }
    }
    String message = "could not " + what + " at " + base + " after " + retry.attempts() + " tries: " + failure;
    if (inDoubt) {
      pause(settle, what, true);
      Optional<Boolean> done = carriedOut(landed, what, failure);
      if (done.isEmpty()) {
        throw new UnconfirmedWriteException(message + "; whether CVAT carried out the last try is unknown");
      }
      if (done.get()) {
        return CARRIED_OUT;
      }
    }
    throw new CvatException(message);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private Response exchange(HttpRequest request) throws IOException, InterruptedException, CvatException {
    HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (answer.statusCode() >= 300 && answer.statusCode() < 400) {
      throw new CvatException("CVAT at " + base + " sends its requests elsewhere (" + answer.statusCode() + " to "
          + answer.headers().firstValue("Location").orElse("an address it does not name") + "): give CVAT's own "
          + "address as -Dcvat.annotate.url / --url, e.g. https:// where http:// was given");
    }
    Optional<Duration> retryAfter = answer.statusCode() == 429 || answer.statusCode() == 503
        ? answer.headers().firstValue("Retry-After").flatMap(CvatClient::retryAfter) : Optional.empty();
    return new Response(answer.statusCode(), answer.body(), retryAfter);
  }

  /** The wait a busy answer asks for, at least the first delay (so that a busy server cannot keep one spinning). */
  private Optional<Duration> busyWait(Response answer) {
    return answer.retryAfter().map(asked -> max(asked, retry.firstDelay()));
  }

  /** A {@code Retry-After} value: whole seconds, or an HTTP date; empty when it is neither. */
  static Optional<Duration> retryAfter(String value) {
    String text = value.strip();
    if (text.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    }
    try {
      Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
      return Optional.of(until.isNegative() ? Duration.ZERO : until);
    } catch (DateTimeParseException notADate) {
      return Optional.empty();
    }
  }

  /** Waits; interrupted while a write is {@code inDoubt}, says that CVAT may hold it. */
  private static void pause(Duration wait, String what, boolean inDoubt) throws CvatException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      String message = "interrupted while waiting to " + what;
      throw inDoubt ? new UnconfirmedWriteException(message + "; whether CVAT carried out the last try is unknown")
          : new CvatException(message);
    }
  }

  /** What a write whose answer was {@code failure} did: carried out, not, or empty when CVAT cannot say. */
  private Optional<Boolean> carriedOut(Landed landed, String what, String failure) {
    try {
      boolean done = landed.check();
      if (done) {
        warnings.accept("CVAT had carried out the request to " + what + " (" + failure + "): not sent again");
      }
      return Optional.of(done);
    } catch (CvatException e) {
      warnings.accept("could not find out whether CVAT carried out the request to " + what + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
