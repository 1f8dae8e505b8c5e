package io.cvatfunction.runtime.cvat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A CVAT 2.x server on loopback, written from CVAT's REST contract (docs/cvat-rest-annotate.md), for the parts that
 * annotating a task uses: sign-in (personal access tokens as {@code Bearer}, login keys as {@code Token}, login with
 * a user name and password), the {@code Accept} rule ({@code application/vnd.cvat+json} or {@code *}{@code /*};
 * {@code application/json} gets 406, a browser's Accept gets HTML), organizations (header or {@code org=}), tasks
 * and their data meta, paginated labels with sublabels and attributes, original-quality chunks as ZIPs,
 * {@code PATCH action=create} / {@code PUT} / {@code DELETE} on a task's annotations, checking label and attribute
 * ids as CVAT does, and a task's annotation jobs (paginated) with the annotations on each one's frames. Faults can
 * be injected: server errors, a busy server (429 with Retry-After), dropped
 * connections, a permanent failure after some uploads.
 */
public final class CvatStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MEDIA = "application/vnd.cvat+json";

  /** A label of a task: its type, its attributes ({@code name -> input_type:values}), its sublabels' names. */
  public record LabelDef(String name, String type, List<AttributeDef> attributes, List<String> sublabels) {}

  /** An attribute of a label. */
  public record AttributeDef(String name, String inputType, List<String> values) {}

  /** A request the stand-in received. */
  public record Received(String method, String path, String query, Map<String, List<String>> headers) {
    /** A header's values, whatever the case of its name; empty when absent. */
    public List<String> header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).toList();
    }
  }

  /**
   * A fault to inject: which requests it hits, what they get ({@link #DROP}: no answer), whether they are carried out
   * first, and how many times.
   */
  private record LateWrite(Predicate<HttpExchange> matches, int status, long holdMillis, long lateMillis,
      AtomicInteger remaining) {}

  private record Fault(Predicate<HttpExchange> matches, int status, boolean afterWork, AtomicInteger remaining,
      String retryAfter) {
    Fault(Predicate<HttpExchange> matches, int status, boolean afterWork, AtomicInteger remaining) {
      this(matches, status, afterWork, remaining, null);
    }
  }

  private static final int DROP = -1;

  /** A task: its frames (file names and bytes), or its kind when it cannot be annotated. */
  public static final class Task {
    final int id;
    final String name;
    final String org;
    final List<String> frameNames;
    final List<byte[]> frames;
    final int chunkSize;
    final Set<Integer> deleted;
    final String dimension;
    final String chunkType;
    final List<ObjectNode> labels = new ArrayList<>();
    final List<ObjectNode> shapes = Collections.synchronizedList(new ArrayList<>());
    final List<ObjectNode> tags = Collections.synchronizedList(new ArrayList<>());
    volatile Set<Integer> honeypots = Set.of();
    volatile int segmentSize;

    Task(int id, String name, String org, List<String> frameNames, List<byte[]> frames, int chunkSize,
        Set<Integer> deleted, String dimension, String chunkType) {
      this.id = id;
      this.name = name;
      this.org = org;
      this.frameNames = frameNames;
      this.frames = frames;
      this.chunkSize = chunkSize;
      this.deleted = deleted;
      this.dimension = dimension;
      this.chunkType = chunkType;
    }

    /** The task's id. */
    public int id() {
      return id;
    }

    /**
     * Makes this a task that checks its annotators with honeypots ({@code validation_mode gt_pool}): {@code frames}
     * are its honeypot frames, listed by {@code GET .../validation_layout}.
     */
    public Task honeypots(Set<Integer> frames) {
      honeypots = Set.copyOf(frames);
      return this;
    }

    /**
     * Splits the task into annotation jobs of {@code size} frames each (CVAT's {@code segment_size}; by default one
     * job holds every frame), each listed by {@code GET /api/jobs?task_id=} with the id
     * {@code 1000 * task id + its number} (so fewer than 1,000 jobs), and each answering
     * {@code GET /api/jobs/{id}/annotations} with what is stored on its frames.
     */
    public Task segments(int size) {
      segmentSize = size;
      return this;
    }

    int segment() {
      return segmentSize > 0 ? segmentSize : Math.max(1, frameNames.size());
    }

    /** The shapes stored, as CVAT returns them. */
    public List<ObjectNode> shapes() {
      synchronized (shapes) {
        return List.copyOf(shapes);
      }
    }

    /** The tags stored. */
    public List<ObjectNode> tags() {
      synchronized (tags) {
        return List.copyOf(tags);
      }
    }

    /** The task's labels as the stand-in lists them, with their ids. */
    public List<ObjectNode> labels() {
      return List.copyOf(labels);
    }
  }

  private final HttpServer server;
  private final Map<String, String> passwords = new ConcurrentHashMap<>();
  private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
  private final Map<String, String> keys = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> memberships = new ConcurrentHashMap<>();
  private final Map<Integer, Task> tasks = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<LateWrite> lateWrites = new CopyOnWriteArrayList<>();
  private final ExecutorService lateWriter = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "cvat-stand-in-late-write");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicInteger ids = new AtomicInteger(1);
  private volatile int createsBeforeOutage = -1;
  private volatile boolean personalAccessTokens = true;
  private volatile int maxPageSize = 1000;
  private volatile String linkBase;

  /** Starts a stand-in on a free loopback port. */
  public CvatStandIn() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(8, r -> {
      Thread thread = new Thread(r, "cvat-stand-in");
      thread.setDaemon(true);
      return thread;
    }));
    server.createContext("/", this::serve);
    server.start();
  }

  /** The server's address, {@code http://127.0.0.1:PORT}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Adds a user who signs in with a password. */
  public CvatStandIn user(String name, String password, String... orgs) {
    passwords.put(name, password);
    memberships.put(name, Set.of(orgs));
    return this;
  }

  /** Gives a user a personal access token. */
  public CvatStandIn accessToken(String user, String token) {
    accessTokens.put(token, user);
    return this;
  }

  /** Makes the server one from before personal access tokens: {@code Bearer} is unknown, a login key works. */
  public CvatStandIn withoutPersonalAccessTokens() {
    personalAccessTokens = false;
    return this;
  }

  /** Caps {@code page_size}, so that a few labels take several pages. */
  public CvatStandIn maxPageSize(int size) {
    maxPageSize = size;
    return this;
  }

  /** Builds page links on another address, as CVAT behind a proxy that does not forward its host or scheme. */
  public CvatStandIn linksOn(String address) {
    linkBase = address;
    return this;
  }

  /** Gives a user a login key directly (as an earlier login would have). */
  public CvatStandIn loginKey(String user, String key) {
    keys.put(key, user);
    return this;
  }

  /**
   * Adds an image task.
   *
   * @param org the organization's slug, or null for none
   * @param frameNames the frame files' names
   * @param frames their bytes
   * @param chunkSize frames per chunk
   * @param deleted deleted frame numbers
   * @param labels its labels
   * @return the task
   */
  public Task imageTask(String name, String org, List<String> frameNames, List<byte[]> frames, int chunkSize,
      Set<Integer> deleted, List<LabelDef> labels) {
    return add(new Task(ids.getAndIncrement(), name, org, frameNames, frames, chunkSize, deleted, "2d", "imageset"),
        labels);
  }

  /** Adds a video task of {@code size} frames. */
  public Task videoTask(String name, int size, List<LabelDef> labels) {
    List<String> names = Collections.nCopies(size, "video.mp4");
    return add(new Task(ids.getAndIncrement(), name, null, names, List.of(), 36, Set.of(), "2d", "video"), labels);
  }

  /** Adds a point-cloud task. */
  public Task pointCloudTask(String name, List<LabelDef> labels) {
    return add(new Task(ids.getAndIncrement(), name, null, List.of("cloud.pcd"), List.of(), 1, Set.of(), "3d",
        "imageset"), labels);
  }

  /** Adds a task whose data was never uploaded. */
  public Task emptyTask(String name, List<LabelDef> labels) {
    return add(new Task(ids.getAndIncrement(), name, null, List.of(), List.of(), 0, Set.of(), "2d", "imageset"),
        labels);
  }

  private Task add(Task task, List<LabelDef> labels) {
    for (LabelDef def : labels) {
      ObjectNode label = JSON.createObjectNode();
      label.put("id", ids.getAndIncrement());
      label.put("name", def.name());
      label.put("color", "#ff0000");
      label.put("type", def.type());
      label.set("attributes", attributes(def.attributes()));
      ArrayNode sublabels = label.putArray("sublabels");
      for (String sub : def.sublabels()) {
        ObjectNode sublabel = sublabels.addObject();
        sublabel.put("id", ids.getAndIncrement());
        sublabel.put("name", sub);
        sublabel.put("color", "#00ff00");
        sublabel.putArray("attributes");
        sublabel.put("type", "points");
        sublabel.put("has_parent", true);
      }
      label.put("svg", "");
      label.putNull("project_id");
      label.put("task_id", task.id);
      label.putNull("parent_id");
      label.put("has_parent", false);
      task.labels.add(label);
    }
    tasks.put(task.id, task);
    return task;
  }

  private ArrayNode attributes(List<AttributeDef> defs) {
    ArrayNode attributes = JSON.createArrayNode();
    for (AttributeDef def : defs) {
      ObjectNode attribute = attributes.addObject();
      attribute.put("id", ids.getAndIncrement());
      attribute.put("name", def.name());
      attribute.put("mutable", false);
      attribute.put("input_type", def.inputType());
      attribute.put("default_value", def.values().isEmpty() ? "" : def.values().get(0));
      ArrayNode values = attribute.putArray("values");
      def.values().forEach(values::add);
    }
    return attributes;
  }

  /** Answers the next {@code times} requests whose method and path start match with {@code status}. */
  public CvatStandIn failNext(String method, String pathPrefix, int status, int times) {
    faults.add(new Fault(matching(method, pathPrefix), status, false, new AtomicInteger(times)));
    return this;
  }

  /**
   * Answers the next {@code times} matching requests 429 with {@code Retry-After: seconds} and no body, as CVAT
   * does while a chunk it prepares is not ready.
   */
  public CvatStandIn busyNext(String method, String pathPrefix, int times, int seconds) {
    faults.add(new Fault(matching(method, pathPrefix), 429, false, new AtomicInteger(times),
        Integer.toString(seconds)));
    return this;
  }

  /** Closes the connection of the next {@code times} matching requests without answering. */
  public CvatStandIn dropNext(String method, String pathPrefix, int times) {
    faults.add(new Fault(matching(method, pathPrefix), DROP, false, new AtomicInteger(times)));
    return this;
  }

  /**
   * Carries out the next {@code times} matching requests, then closes their connections without answering, as a
   * network that fails after the server has done the work.
   */
  public CvatStandIn loseAnswerOfNext(String method, String pathPrefix, int times) {
    faults.add(new Fault(matching(method, pathPrefix), DROP, true, new AtomicInteger(times)));
    return this;
  }

  /**
   * Carries out the next {@code times} matching requests, then answers them with {@code status}, as a proxy that
   * gave up waiting (504) while the server went on.
   */
  public CvatStandIn failAfterDoingNext(String method, String pathPrefix, int status, int times) {
    faults.add(new Fault(matching(method, pathPrefix), status, true, new AtomicInteger(times)));
    return this;
  }

  /**
   * Holds the next matching request {@code holdMillis}, answers it with {@code status} and carries it out {@code
   * lateMillis} after that answer: a proxy that gave up waiting (504) while the server went on writing.
   */
  public CvatStandIn finishAfterAnsweringNext(String method, String pathPrefix, int status, long holdMillis,
      long lateMillis) {
    lateWrites.add(new LateWrite(matching(method, pathPrefix), status, holdMillis, lateMillis, new AtomicInteger(1)));
    return this;
  }

  /** Accepts {@code creates} more annotation uploads, then answers every one with 503, as a server gone down. */
  public CvatStandIn outageAfterCreates(int creates) {
    createsBeforeOutage = creates;
    return this;
  }

  /** Ends an outage. */
  public CvatStandIn recover() {
    createsBeforeOutage = -1;
    return this;
  }

  private static Predicate<HttpExchange> matching(String method, String pathPrefix) {
    return exchange -> exchange.getRequestMethod().equals(method)
        && exchange.getRequestURI().getPath().startsWith(pathPrefix);
  }

  /** Every request received so far. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** A task by id. */
  public Task task(int id) {
    return tasks.get(id);
  }

  @Override
  public void close() {
    lateWriter.shutdownNow();
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  // ---- serving ----

  private record Caller(String user) {}

  private static final class Answer extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final transient JsonNode body;

    Answer(int status, JsonNode body) {
      super(null, null, false, false);
      this.status = status;
      this.body = body;
    }
  }

  private static Answer detail(int status, String detail) {
    return new Answer(status, JSON.createObjectNode().put("detail", detail));
  }

  private static Answer list(int status, String message) {
    return new Answer(status, JSON.createArrayNode().add(message));
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      received.add(new Received(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
          Map.copyOf(exchange.getRequestHeaders())));
      byte[] body = exchange.getRequestBody().readAllBytes();
      for (LateWrite late : lateWrites) {
        if (late.matches().test(exchange) && late.remaining().getAndDecrement() > 0) {
          sleep(late.holdMillis());
          send(exchange, late.status(), JSON.createObjectNode().put("detail", "injected fault: gave up waiting"));
          CompletableFuture.runAsync(() -> {
            try {
              route(exchange, uri, body);
            } catch (Answer | IOException refused) {
              // refused, and no one is told
            }
          }, CompletableFuture.delayedExecutor(late.lateMillis(), TimeUnit.MILLISECONDS, lateWriter));
          return;
        }
      }
      for (Fault fault : faults) {
        if (fault.matches().test(exchange) && fault.remaining().getAndDecrement() > 0) {
          if (fault.afterWork()) {
            try {
              route(exchange, uri, body);
            } catch (Answer refused) {
              // refused, and the refusal lost too
            }
          }
          if (fault.status() == DROP) {
            return; // closed without an answer: the client sees the connection end
          }
          if (fault.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", fault.retryAfter());
            exchange.sendResponseHeaders(fault.status(), -1);
            return;
          }
          send(exchange, fault.status(), JSON.createObjectNode().put("detail", "injected fault"));
          return;
        }
      }
      try {
        Object answer = route(exchange, uri, body);
        if (answer instanceof byte[] bytes) {
          exchange.getResponseHeaders().add("Content-Type", "application/zip");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
        } else if (answer == null) {
          exchange.sendResponseHeaders(204, -1);
        } else {
          send(exchange, 200, (JsonNode) answer);
        }
      } catch (Answer answer) {
        if (answer.body.isTextual()) { // the browsable API's HTML, for a browser's Accept
          byte[] html = answer.body.asText().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(answer.status, html.length);
          exchange.getResponseBody().write(html);
          return;
        }
        if (answer.status == 401) {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Token");
        }
        send(exchange, answer.status, answer.body);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange exchange, int status, JsonNode json) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(json);
    exchange.getResponseHeaders().add("Content-Type", MEDIA);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private Object route(HttpExchange exchange, URI uri, byte[] body) throws Answer, IOException {
    acceptRule(exchange);
    String method = exchange.getRequestMethod();
    String path = uri.getPath().replaceAll("/+$", "");
    Map<String, String> query = query(uri.getRawQuery());
    if (method.equals("POST") && path.equals("/api/auth/login")) {
      return login(exchange, body);
    }
    Caller caller = authenticate(exchange);
    if (path.equals("/api/server/about") && method.equals("GET")) {
      return JSON.createObjectNode().put("name", "Computer Vision Annotation Tool").put("description", "stand-in")
          .put("version", "2.26.2");
    }
    if (caller == null) {
      throw detail(401, "Authentication credentials were not provided.");
    }
    String org = organization(exchange, query, caller);
    if (path.equals("/api/users/self") && method.equals("GET")) {
      return JSON.createObjectNode().put("id", 1).put("username", caller.user());
    }
    if (path.equals("/api/labels") && method.equals("GET")) {
      return labels(query, caller, org);
    }
    if (path.equals("/api/jobs") && method.equals("GET")) {
      return jobs(query, caller, org);
    }
    String[] parts = path.split("/");
    if (parts.length == 5 && parts[1].equals("api") && parts[2].equals("jobs") && parts[4].equals("annotations")
        && method.equals("GET")) {
      return jobAnnotations(parts[3], caller);
    }
    if (parts.length >= 4 && parts[1].equals("api") && parts[2].equals("tasks")) {
      Task task = visibleTask(parts[3], caller);
      String rest = String.join("/", java.util.Arrays.copyOfRange(parts, 4, parts.length));
      switch (method + " " + rest) {
        case "GET " -> {
          return taskJson(task);
        }
        case "GET data/meta" -> {
          return meta(task);
        }
        case "GET validation_layout" -> {
          ObjectNode layout = JSON.createObjectNode();
          if (task.honeypots.isEmpty()) {
            layout.putNull("mode");
          } else {
            layout.put("mode", "gt_pool");
          }
          ArrayNode frames = layout.putArray("honeypot_frames");
          task.honeypots.stream().sorted().forEach(frames::add);
          return layout;
        }
        case "GET data" -> {
          return data(task, query);
        }
        case "GET annotations" -> {
          return annotations(task);
        }
        case "PATCH annotations" -> {
          contentType(exchange);
          if (!"create".equals(query.get("action"))) {
            throw list(400, "Please specify a correct 'action' for the request");
          }
          if (createsBeforeOutage == 0) {
            throw detail(503, "Service Unavailable");
          }
          JsonNode written = write(task, JSON.readTree(body), false);
          if (createsBeforeOutage > 0) {
            createsBeforeOutage--;
          }
          return written;
        }
        case "PUT annotations" -> {
          contentType(exchange);
          return write(task, JSON.readTree(body), true);
        }
        case "DELETE annotations" -> {
          task.shapes.clear();
          task.tags.clear();
          return null;
        }
        default -> throw detail(404, "Not found.");
      }
    }
    throw detail(404, "Not found.");
  }

  private static void acceptRule(HttpExchange exchange) throws Answer {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    if (accept == null) {
      return; // DRF picks its first renderer
    }
    for (String range : accept.split(",")) {
      String[] params = range.trim().split(";");
      String type = params[0].trim();
      if (type.equals(MEDIA) || type.equals("*/*")) {
        for (int i = 1; i < params.length; i++) {
          String param = params[i].trim();
          if (param.startsWith("version=") && !param.equals("version=2.0")) {
            throw detail(406, "Invalid version in \"Accept\" header.");
          }
        }
        return;
      }
      if (type.equals("text/html")) {
        throw new Answer(200, JSON.getNodeFactory().textNode("<html>browsable API</html>"));
      }
    }
    throw detail(406, "Could not satisfy the request Accept header.");
  }

  private static void contentType(HttpExchange exchange) throws Answer {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.split(";")[0].trim().equals("application/json")) {
      throw detail(415, "Unsupported media type \"" + type + "\" in request.");
    }
  }

  private JsonNode login(HttpExchange exchange, byte[] body) throws Answer, IOException {
    contentType(exchange);
    JsonNode request = JSON.readTree(body);
    String user = request.path("username").asText();
    String password = request.path("password").asText();
    if (!password.equals(passwords.get(user))) {
      throw new Answer(400, JSON.createObjectNode().set("non_field_errors",
          JSON.createArrayNode().add("Unable to log in with provided credentials.")));
    }
    String key = UUID.randomUUID().toString().replace("-", "");
    keys.put(key, user);
    exchange.getResponseHeaders().add("Set-Cookie", "sessionid=" + UUID.randomUUID() + "; Path=/");
    exchange.getResponseHeaders().add("Set-Cookie", "csrftoken=" + UUID.randomUUID() + "; Path=/");
    return JSON.createObjectNode().put("key", key);
  }

  private Caller authenticate(HttpExchange exchange) throws Answer {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null) {
      if (exchange.getRequestHeaders().containsKey("Cookie")) {
        throw detail(403, "CSRF Failed: the stand-in takes no cookies; send the Authorization header");
      }
      return null;
    }
    if (header.startsWith("Bearer ") && personalAccessTokens) {
      String user = accessTokens.get(header.substring(7));
      if (user == null) {
        throw detail(401, "Invalid token.");
      }
      return new Caller(user);
    }
    if (header.startsWith("Token ")) {
      String user = keys.get(header.substring(6));
      if (user == null) {
        throw detail(401, "Invalid token.");
      }
      return new Caller(user);
    }
    throw detail(401, "Authentication credentials were not provided.");
  }

  private String organization(HttpExchange exchange, Map<String, String> query, Caller caller) throws Answer {
    String header = exchange.getRequestHeaders().getFirst("X-Organization");
    String param = query.get("org");
    if (header != null && param != null && !header.equals(param)) {
      throw list(400, "You cannot specify different organizations in the header and in the query");
    }
    String org = header != null ? header : param;
    if (org == null || org.isEmpty()) {
      return null;
    }
    boolean exists = tasks.values().stream().anyMatch(t -> org.equals(t.org))
        || memberships.values().stream().anyMatch(m -> m.contains(org));
    if (!exists) {
      throw detail(404, org + " organization does not exist.");
    }
    if (!memberships.getOrDefault(caller.user(), Set.of()).contains(org)) {
      throw detail(403, "You do not have permission to perform this action.");
    }
    return org;
  }

  private Task visibleTask(String id, Caller caller) throws Answer {
    Task task;
    try {
      task = tasks.get(Integer.parseInt(id));
    } catch (NumberFormatException e) {
      throw detail(404, "Not found.");
    }
    if (task == null) {
      throw detail(404, "No Task matches the given query.");
    }
    if (task.org != null && !memberships.getOrDefault(caller.user(), Set.of()).contains(task.org)) {
      throw detail(403, "You do not have permission to perform this action.");
    }
    return task;
  }

  private JsonNode taskJson(Task task) {
    ObjectNode json = JSON.createObjectNode();
    json.put("id", task.id);
    json.put("name", task.name);
    json.putNull("project_id");
    json.put("mode", task.chunkType.equals("video") ? "interpolation" : "annotation");
    if (task.frameNames.isEmpty()) {
      json.put("size", 0);
      json.putNull("data_chunk_size");
      json.putNull("data_original_chunk_type");
      json.putNull("data_compressed_chunk_type");
    } else {
      json.put("size", task.frameNames.size());
      json.put("data_chunk_size", task.chunkSize);
      json.put("data_original_chunk_type", task.chunkType);
      json.put("data_compressed_chunk_type", task.chunkType);
    }
    json.put("segment_size", task.segment());
    json.put("overlap", 0);
    json.put("status", "annotation");
    json.put("image_quality", 70);
    json.put("dimension", task.dimension);
    if (task.honeypots.isEmpty()) {
      json.putNull("validation_mode");
    } else {
      json.put("validation_mode", "gt_pool");
    }
    if (task.org == null) {
      json.putNull("organization");
    } else {
      json.put("organization", 1);
    }
    json.putObject("labels").put("url", url() + "/api/labels?task_id=" + task.id);
    return json;
  }

  private JsonNode meta(Task task) throws Answer {
    if (task.frameNames.isEmpty()) {
      throw detail(404, "The task has no data.");
    }
    ObjectNode meta = JSON.createObjectNode();
    meta.put("chunk_size", task.chunkSize);
    meta.put("size", task.frameNames.size());
    meta.put("image_quality", 70);
    meta.put("start_frame", 0);
    meta.put("stop_frame", task.frameNames.size() - 1);
    meta.putNull("frame_filter");
    ArrayNode frames = meta.putArray("frames");
    int count = task.chunkType.equals("video") ? 1 : task.frameNames.size();
    for (int i = 0; i < count; i++) {
      frames.addObject().put("width", 0).put("height", 0).put("name", task.frameNames.get(i))
          .putArray("related_files");
    }
    ArrayNode deleted = meta.putArray("deleted_frames");
    task.deleted.stream().sorted().forEach(deleted::add);
    return meta;
  }

  private Object data(Task task, Map<String, String> query) throws Answer, IOException {
    int number = Integer.parseInt(query.getOrDefault("number", "0"));
    String type = query.getOrDefault("type", "");
    if (task.frames.isEmpty()) {
      throw detail(404, "The task has no image data.");
    }
    if (type.equals("frame")) {
      if (number < 0 || number >= task.frames.size()) {
        throw list(400, "Invalid frame '" + number + "'. The frame number should be in the [0, "
            + task.frames.size() + "] range");
      }
      return task.frames.get(number);
    }
    if (!type.equals("chunk")) {
      throw list(400, "unknown data type " + type);
    }
    int chunks = (task.frames.size() + task.chunkSize - 1) / task.chunkSize;
    if (number < 0 || number >= chunks) {
      throw list(400, "Invalid chunk number '" + number + "'. The chunk number should be in the [0, "
          + (chunks - 1) + "] range");
    }
    return chunk(task, number); // built per request, as a stored ZIP costs a copy and a CRC: no copies kept
  }

  /** A chunk as CVAT keeps an image task's original chunks: a ZIP of the frame files, stored, in frame order. */
  private static byte[] chunk(Task task, int number) {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      for (int frame = number * task.chunkSize; frame < Math.min(task.frames.size(), (number + 1) * task.chunkSize);
          frame++) {
        String name = task.frameNames.get(frame);
        byte[] bytes = task.frames.get(frame);
        ZipEntry entry = new ZipEntry(String.format("%06d", frame) + name.substring(name.lastIndexOf('.')));
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(bytes);
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return zip.toByteArray();
  }

  private JsonNode labels(Map<String, String> query, Caller caller, String org) throws Answer {
    String taskId = query.get("task_id");
    if (taskId == null) {
      throw list(400, "the stand-in lists labels by task_id only");
    }
    Task task = visibleTask(taskId, caller);
    return page(org != null && !org.equals(task.org) ? List.of() : task.labels, query, "/api/labels",
        "&task_id=" + taskId);
  }

  /**
   * A task's jobs, of one {@code type} when asked. Within an organization CVAT lists its tasks' jobs; outside it,
   * only those of tasks the caller owns or is assigned to: the stand-in lists none of an organization's jobs there
   * (as CVAT does for a maintainer of the organization who is not on the task).
   */
  private JsonNode jobs(Map<String, String> query, Caller caller, String org) throws Answer {
    String taskId = query.get("task_id");
    if (taskId == null) {
      throw list(400, "the stand-in lists jobs by task_id only");
    }
    Task task;
    try {
      task = visibleTask(taskId, caller);
    } catch (Answer hidden) {
      return page(List.of(), query, "/api/jobs", "&task_id=" + taskId); // a list filters what the caller cannot see
    }
    String type = query.get("type");
    List<ObjectNode> jobs = new ArrayList<>();
    if (Objects.equals(org, task.org) && (type == null || type.equals("annotation"))) {
      for (int start = 0, number = 1; start < task.frameNames.size(); start += task.segment(), number++) {
        ObjectNode job = JSON.createObjectNode();
        job.put("id", 1000 * task.id + number);
        job.put("task_id", task.id);
        job.put("start_frame", start);
        job.put("stop_frame", Math.min(task.frameNames.size(), start + task.segment()) - 1);
        job.put("type", "annotation");
        jobs.add(job);
      }
    }
    return page(jobs, query, "/api/jobs", "&task_id=" + taskId + (type == null ? "" : "&type=" + type));
  }

  /** One page of a list, as DRF pages it: {@code count}, {@code next} (a link with the list's own query), results. */
  private JsonNode page(List<ObjectNode> all, Map<String, String> query, String path, String listQuery)
      throws Answer {
    int pageSize = Math.min(maxPageSize, Integer.parseInt(query.getOrDefault("page_size", "10")));
    int page = Integer.parseInt(query.getOrDefault("page", "1"));
    int from = (page - 1) * pageSize;
    if (page < 1 || (from >= all.size() && page > 1)) {
      throw detail(404, "Invalid page.");
    }
    ObjectNode json = JSON.createObjectNode();
    json.put("count", all.size());
    if (from + pageSize < all.size()) {
      json.put("next", (linkBase != null ? linkBase : url().toString()) + path + "?page=" + (page + 1)
          + "&page_size=" + pageSize + listQuery);
    } else {
      json.putNull("next");
    }
    json.putNull("previous");
    ArrayNode results = json.putArray("results");
    all.subList(from, Math.min(all.size(), from + pageSize)).forEach(results::add);
    return json;
  }

  /** A job's annotations: what is stored on its frames (its task's organization applies, as for any one object). */
  private JsonNode jobAnnotations(String id, Caller caller) throws Answer {
    int job;
    try {
      job = Integer.parseInt(id);
    } catch (NumberFormatException e) {
      throw detail(404, "Not found.");
    }
    Task task = tasks.get(job / 1000);
    int start = (job % 1000 - 1) * (task == null ? 1 : task.segment());
    if (task == null || job % 1000 < 1 || start >= task.frameNames.size()) {
      throw detail(404, "No Job matches the given query.");
    }
    visibleTask(String.valueOf(task.id), caller);
    int stop = Math.min(task.frameNames.size(), start + task.segment()) - 1;
    return annotations(task, frame -> start <= frame && frame <= stop);
  }

  private JsonNode annotations(Task task) {
    return annotations(task, frame -> true);
  }

  private static JsonNode annotations(Task task, Predicate<Integer> onFrame) {
    ObjectNode json = JSON.createObjectNode();
    json.put("version", 0);
    json.putArray("tags").addAll(task.tags().stream().filter(t -> onFrame.test(t.get("frame").asInt())).toList());
    json.putArray("shapes").addAll(task.shapes().stream().filter(t -> onFrame.test(t.get("frame").asInt())).toList());
    json.putArray("tracks");
    return json;
  }

  private synchronized JsonNode write(Task task, JsonNode body, boolean replace) throws Answer {
    Map<Integer, JsonNode> labelsById = new HashMap<>();
    for (ObjectNode label : task.labels) {
      labelsById.put(label.get("id").asInt(), label);
      label.path("sublabels").forEach(s -> labelsById.put(s.get("id").asInt(), s));
    }
    List<ObjectNode> newShapes = new ArrayList<>();
    List<ObjectNode> newTags = new ArrayList<>();
    for (String kind : List.of("shapes", "tags")) {
      for (JsonNode item : body.path(kind)) {
        ObjectNode copy = check(item, labelsById, kind.equals("shapes"));
        if (copy.get("frame").asInt() >= task.frameNames.size()) {
          continue; // silently dropped, as CVAT splits a write per job
        }
        (kind.equals("shapes") ? newShapes : newTags).add(copy);
      }
    }
    if (body.path("tracks").size() > 0) {
      throw list(400, "the stand-in takes no tracks");
    }
    if (replace) {
      task.shapes.clear();
      task.tags.clear();
    }
    task.shapes.addAll(newShapes);
    task.tags.addAll(newTags);
    ObjectNode answer = JSON.createObjectNode();
    answer.put("version", 0);
    answer.putArray("tags").addAll(newTags);
    answer.putArray("shapes").addAll(newShapes);
    answer.putArray("tracks");
    return answer;
  }

  private ObjectNode check(JsonNode item, Map<Integer, JsonNode> labelsById, boolean shape) throws Answer {
    if (!item.isObject() || !item.path("frame").isInt() || !item.path("label_id").isInt()) {
      throw new Answer(400, JSON.createObjectNode().put("error", "frame and label_id are required integers"));
    }
    if (item.has("id")) {
      throw new Answer(400, JSON.createObjectNode().put("error", "id must not be sent on create"));
    }
    if (item.get("frame").asInt() < 0) {
      throw list(400, "frame must not be negative");
    }
    JsonNode label = labelsById.get(item.get("label_id").asInt());
    if (label == null) {
      throw list(400, "label_id `" + item.get("label_id").asInt() + "` is invalid");
    }
    for (JsonNode attribute : item.path("attributes")) {
      int spec = attribute.path("spec_id").asInt();
      boolean known = false;
      for (JsonNode declared : label.path("attributes")) {
        known |= declared.path("id").asInt() == spec;
      }
      if (!known) {
        throw list(400, "spec_id `" + spec + "` is invalid");
      }
      if (!attribute.path("value").isTextual()) {
        throw new Answer(400, JSON.createObjectNode().put("error", "attribute values are strings"));
      }
    }
    if (shape) {
      String type = item.path("type").asText();
      if (!Set.of("rectangle", "polygon", "polyline", "points", "ellipse", "cuboid", "mask", "skeleton")
          .contains(type)) {
        throw new Answer(400, JSON.createObjectNode().put("error", "\"" + type + "\" is not a valid choice."));
      }
      for (JsonNode value : item.path("points")) {
        if (!value.isNumber()) {
          throw new Answer(400, JSON.createObjectNode().put("error", "points are numbers"));
        }
      }
      double rotation = item.path("rotation").asDouble(0);
      if (rotation < 0 || rotation > 360) {
        throw new Answer(400, JSON.createObjectNode().put("error", "rotation must be within [0, 360]"));
      }
      for (JsonNode element : item.path("elements")) {
        check(element, labelsById, true);
      }
    }
    ObjectNode copy = (ObjectNode) item.deepCopy();
    copy.put("id", ids.getAndIncrement());
    return copy;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }
}
