package io.cvatfunction.runtime.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cvatfunction.runtime.cvat.CvatStandIn;
import io.cvatfunction.runtime.cvat.StandInTasks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The REST client on its own: pages, links, retries. */
class CvatClientTest {

  @AutoClose
  private final CvatStandIn standIn = AnnotateFixture.standIn();
  private final List<String> warnings = new ArrayList<>();

  private CvatClient client() throws CvatException {
    return CvatClient.signIn(standIn.url(), Optional.empty(), new CvatCredentials.Token(AnnotateFixture.TOKEN),
        new Retry(3, Duration.ofMillis(1), Duration.ofSeconds(2)), warnings::add);
  }

  @Test
  void labelPagesAreFollowedOnThisServerWhateverHostTheLinksName() throws Exception {
    CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 5, Set.of(), StandInTasks.shapesLabels("mask"));
    standIn.linksOn("http://cvat.internal:8080");
    List<JsonNode> labels = client().labels(task.id());
    assertEquals(List.of("circle", "square", "triangle"), labels.stream().map(l -> l.get("name").asText()).toList());
    assertTrue(standIn.received().stream().filter(r -> r.path().equals("/api/labels")).count() >= 2, "paged");
  }

  @Test
  void aServerErrorIsRetriedAndGivingUpNamesTheLastFailure() throws Exception {
    CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 5, Set.of(), StandInTasks.shapesLabels("mask"));
    CvatClient client = client();
    standIn.failNext("GET", "/api/tasks/" + task.id() + "/data", 502, 2);
    assertTrue(client.chunk(task.id(), 0).length > 0);
    assertEquals(2, warnings.size(), warnings.toString());
    standIn.failNext("GET", "/api/tasks/" + task.id() + "/data", 503, 3);
    String message = assertThrows(CvatException.class, () -> client.chunk(task.id(), 1)).getMessage();
    assertTrue(message.contains("could not download chunk 1 of task " + task.id()) && message.contains("after 3 tries: "
        + "503 injected fault"), message);
  }

  @Test
  void aBusyServerIsWaitedForAsItAsksWithoutUsingUpTries() throws Exception {
    CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 5, Set.of(), StandInTasks.shapesLabels("mask"));
    CvatClient client = client();
    standIn.busyNext("GET", "/api/tasks/" + task.id() + "/data", 5, 0); // more busy answers than tries
    assertTrue(client.chunk(task.id(), 0).length > 0);
    assertEquals(5, warnings.stream().filter(w -> w.startsWith("CVAT is busy (429) and asks to download chunk 0"))
        .count(), warnings.toString());
  }

  @Test
  void aServerBusyForLongerThanThePatienceIsAFailureThatSaysHowLongItWaited() throws Exception {
    CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 5, Set.of(), StandInTasks.shapesLabels("mask"));
    CvatClient client = client();
    standIn.busyNext("GET", "/api/tasks/" + task.id() + "/data", 100, 1);
    long start = System.nanoTime();
    String message = assertThrows(CvatException.class, () -> client.chunk(task.id(), 0)).getMessage();
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(message.contains("after 3 tries: 429 (CVAT was still busy ") && message.contains("after the first try "
        + "and asked for 1 s more; a request waits for a busy CVAT at most 2 s)"), message);
    assertTrue(seconds >= 2 && seconds < 10, "waited " + seconds + " s");
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    assertEquals(Optional.of(Duration.ofSeconds(10)), CvatClient.retryAfter(" 10 "));
    assertEquals(Optional.of(Duration.ZERO), CvatClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
    String soon = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
    Duration wait = CvatClient.retryAfter(soon).orElseThrow();
    assertTrue(wait.toSeconds() >= 28 && wait.toSeconds() <= 30, wait.toString());
    assertEquals(Optional.empty(), CvatClient.retryAfter("soon"));
    assertEquals(Optional.empty(), CvatClient.retryAfter("-5"));
  }

  @Test
  void anErrorSaysItsFirstMessageAndWhereItPoints() {
    assertEquals("Not found.", detail("{\"detail\": \"Not found.\"}"));
    assertEquals("shapes[2].frame: This field is required.",
        detail("{\"shapes\": [{}, {}, {\"frame\": [\"This field is required.\"]}]}"));
    assertEquals("label_id `7` is invalid", detail("[\"label_id `7` is invalid\"]"));
    assertEquals("Could not prepare the chunk", detail("\"Could not prepare the chunk\""));
    assertEquals("<html>Bad Gateway</html>", detail("<html>Bad Gateway</html>"));
    assertEquals("Unable to log in with provided credentials.",
        detail("{\"non_field_errors\": [\"Unable to log in with provided credentials.\"]}"));
    assertEquals("{\"shapes\": [{}, {}]}", detail("{\"shapes\": [{}, {}]}"));
  }

  private static String detail(String body) {
    return new CvatClient.Response(400, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).detail();
  }

  @Test
  void aRedirectIsNotFollowedButNamed() throws Exception {
    HttpServer moved = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    moved.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Location", "https://cvat.example.com" + exchange.getRequestURI());
      exchange.sendResponseHeaders(301, -1);
      exchange.close();
    });
    moved.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + moved.getAddress().getPort());
      String message = assertThrows(CvatException.class, () -> CvatClient.signIn(url, Optional.empty(),
          new CvatCredentials.Login("someone", "pw"), new Retry(3, Duration.ofMillis(1), Duration.ofSeconds(2)),
          warnings::add)).getMessage();
      assertEquals("CVAT at " + url + " sends its requests elsewhere (301 to https://cvat.example.com/api/auth/login):"
          + " give CVAT's own address as -Dcvat.annotate.url / --url, e.g. https:// where http:// was given", message);
    } finally {
      moved.stop(0);
    }
  }
}
