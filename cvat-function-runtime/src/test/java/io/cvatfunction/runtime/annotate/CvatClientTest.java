package io.cvatfunction.runtime.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvatfunction.runtime.cvat.CvatStandIn;
import io.cvatfunction.runtime.cvat.StandInTasks;
import java.time.Duration;
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
        new Retry(3, Duration.ofMillis(1)), warnings::add);
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
    String message = org.junit.jupiter.api.Assertions.assertThrows(CvatException.class,
        () -> client.chunk(task.id(), 1)).getMessage();
    assertTrue(message.contains("could not download chunk 1 of task " + task.id()) && message.contains("after 3 tries: "
        + "503 injected fault"), message);
  }
}
