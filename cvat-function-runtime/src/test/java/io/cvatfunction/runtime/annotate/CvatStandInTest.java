package io.cvatfunction.runtime.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.cvat.CvatStandIn;
import io.cvatfunction.runtime.cvat.StandInTasks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The CVAT stand-in keeps CVAT's rules that a client can get wrong, so that annotate's tests would see them broken. */
class CvatStandInTest {

  @AutoClose
  private final CvatStandIn standIn = AnnotateFixture.standIn();
  private final CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 5, Set.of(),
      StandInTasks.shapesLabels("rectangle"));
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path, String accept) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(standIn.url() + path))
        .header("Authorization", "Bearer " + AnnotateFixture.TOKEN);
    return accept == null ? builder : builder.header("Accept", accept);
  }

  private HttpResponse<String> create(String body, String contentType) throws Exception {
    return send(request("/api/tasks/" + task.id() + "/annotations?action=create", "application/vnd.cvat+json")
        .header("Content-Type", contentType).method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
  }

  @Test
  void theAcceptHeaderDecidesTheAnswer() throws Exception {
    String path = "/api/tasks/" + task.id();
    assertEquals(406, send(request(path, "application/json").GET()).statusCode());
    HttpResponse<String> html = send(request(path, "text/html,application/xhtml+xml,*/*;q=0.8").GET());
    assertTrue(html.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertEquals(406, send(request(path, "application/vnd.cvat+json; version=1.0").GET()).statusCode());
    assertEquals(200, send(request(path, "application/vnd.cvat+json; version=2.0").GET()).statusCode());
    assertEquals(200, send(request(path, "*/*").GET()).statusCode());
  }

  @Test
  void everyRequestIsAuthenticated() throws Exception {
    HttpRequest.Builder anonymous = HttpRequest.newBuilder(URI.create(standIn.url() + "/api/tasks/" + task.id()))
        .header("Accept", "application/vnd.cvat+json");
    HttpResponse<String> answer = send(anonymous.GET());
    assertEquals(401, answer.statusCode());
    assertEquals("Token", answer.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals(401, send(HttpRequest.newBuilder(URI.create(standIn.url() + "/api/server/about"))
        .header("Authorization", "Token wrong").GET()).statusCode(), "bad credentials fail on public endpoints too");
  }

  @Test
  void writesAreCheckedAsCvatChecksThem() throws Exception {
    int label = task.labels().get(0).get("id").asInt();
    int spec = task.labels().get(0).get("attributes").get(0).get("id").asInt();
    String shape = "{\"type\": \"rectangle\", \"frame\": 0, \"label_id\": %d, \"points\": [1, 2, 3, 4],"
        + " \"attributes\": [{\"spec_id\": %d, \"value\": \"50\"}]}";
    assertEquals("[\"label_id `99999` is invalid\"]",
        create("{\"shapes\": [" + String.format(shape, 99999, spec) + "]}", "application/json").body());
    assertEquals("[\"spec_id `99999` is invalid\"]",
        create("{\"shapes\": [" + String.format(shape, label, 99999) + "]}", "application/json").body());
    assertEquals(415, create("{}", "application/vnd.cvat+json").statusCode());
    assertEquals(400, send(request("/api/tasks/" + task.id() + "/annotations", "*/*")
        .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{}")))
        .statusCode(), "no action");
    assertEquals(200, create("{\"shapes\": [" + String.format(shape, label, spec) + ", "
        + String.format(shape, label, spec).replace("\"frame\": 0", "\"frame\": 500") + "]}", "application/json")
        .statusCode());
    assertEquals(1, task.shapes().size(), "a frame past the task's end is dropped silently");
  }

  @Test
  void labelsComeInPagesAndAPagePastTheEndIsNotFound() throws Exception {
    String first = send(request("/api/labels?task_id=" + task.id(), "*/*").GET()).body();
    assertTrue(first.contains("\"count\":3") && first.contains("\"next\":\"" + standIn.url() + "/api/labels?page=2"),
        first);
    assertEquals(404, send(request("/api/labels?task_id=" + task.id() + "&page=3", "*/*").GET()).statusCode());
  }
}
