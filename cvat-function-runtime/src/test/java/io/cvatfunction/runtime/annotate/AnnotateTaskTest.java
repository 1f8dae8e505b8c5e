package io.cvatfunction.runtime.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.ReferenceMatch;
import io.cvatfunction.runtime.cvat.CvatStandIn;
import io.cvatfunction.runtime.cvat.LabelSpec;
import io.cvatfunction.runtime.cvat.StandInTasks;
import io.cvatfunction.runtime.server.ServerFixture;
import io.cvatfunction.runtime.yolo.YoloDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A task of the 12 fixture frames annotated through a CVAT stand-in with the YOLOv8n shapes function: what CVAT
 * receives matches Ultralytics' references and is what the function server answers for the same frames; options,
 * faults and resuming.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnnotateTaskTest {

  /** The fixture's detect model, sending each score in the confidence attribute (as users configure it for CVAT). */
  @CvatFunction(name = "scored-boxes", description = "Shapes, scored", workers = 2,
      model = "classpath:fixtures/models/shapes-yolov8n.torchscript", confidenceAttribute = "confidence")
  public static class ScoredBoxes extends YoloDetector {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScoredBoxes detector = new ScoredBoxes();
  @AutoClose
  private final ServerFixture server = ServerFixture.ready(detector);
  private CvatStandIn standIn;
  private final Map<String, JsonNode> serverAnswers = new HashMap<>();

  @TempDir
  Path temp;

  @BeforeEach
  void startStandIn() {
    standIn = AnnotateFixture.standIn();
  }

  @AfterEach
  void stopStandIn() {
    standIn.close();
  }

  private CvatStandIn.Task shapesTask(int chunkSize, Set<Integer> deleted) {
    return StandInTasks.shapes(standIn, null, 1, chunkSize, deleted, StandInTasks.shapesLabels("rectangle"));
  }

  private AnnotateFixture.Outcome run(AnnotateFixture.Builder request) {
    return request.run(detector, "confidence");
  }

  private JsonNode serverAnswer(String frame) {
    return serverAnswers.computeIfAbsent(frame, f -> ServerFixture.json(server.detect(Fixtures.frame(f), 0.5)));
  }

  @Test
  void everyFrameMatchesUltralyticsAndTheFunctionServer() {
    CvatStandIn.Task task = shapesTask(5, Set.of());
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task));
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    Map<Integer, ArrayNode> byFrame = shapesByFrame(task);
    for (int frame = 0; frame < 12; frame++) {
      String name = Fixtures.FRAMES.get(frame);
      ArrayNode uploaded = byFrame.getOrDefault(frame, JSON.createArrayNode());
      ReferenceMatch.matches("shapes-yolov8n", name, uploaded, ReferenceMatch::box);
      assertSameAsServer(name, uploaded, serverAnswer(name));
    }
    List<CvatStandIn.Received> requests = standIn.received();
    assertTrue(requests.stream().allMatch(r -> r.header("Accept").equals(
        List.of("application/vnd.cvat+json"))), "every request accepts CVAT's media type");
    assertTrue(requests.stream().noneMatch(r -> !r.header("Cookie").isEmpty()), "no cookies are sent");
    assertEquals(3, requests.stream().filter(r -> r.path().endsWith("/data") && r.query().contains("type=chunk")
        && r.query().contains("quality=original")).count(), "one download per chunk, original quality");
    assertEquals(3, count(requests, "PATCH"), "one upload per chunk");
    assertTrue(requests.stream().filter(r -> r.path().equals("/api/labels")).count() >= 2, "labels are paged");
    assertTrue(outcome.output().contains("annotated 12 frames of task " + task.id()), outcome.output());
  }

  /** The uploaded shapes as the server answered them: same labels, same points, the score as the attribute. */
  private static void assertSameAsServer(String frame, ArrayNode uploaded, JsonNode answer) {
    assertEquals(answer.size(), uploaded.size(), frame + ": " + uploaded + " vs " + answer);
    for (int i = 0; i < answer.size(); i++) {
      JsonNode expected = answer.get(i);
      JsonNode actual = uploaded.get(i);
      assertEquals(expected.get("label").asText(), actual.get("label").asText(), frame);
      assertEquals(expected.get("points").toString(), actual.get("points").toString(), frame);
      assertEquals("rectangle", actual.get("type").asText());
      assertEquals("auto", actual.get("source").asText());
    }
  }

  /** The stand-in's shapes of each frame, in upload order, with the label's name and the score from the attribute. */
  private static Map<Integer, ArrayNode> shapesByFrame(CvatStandIn.Task task) {
    Map<Integer, String> names = new HashMap<>();
    Map<Integer, String> confidenceIds = new HashMap<>();
    for (ObjectNode label : task.labels()) {
      names.put(label.get("id").asInt(), label.get("name").asText());
      label.get("attributes").forEach(a -> confidenceIds.put(a.get("id").asInt(), a.get("name").asText()));
    }
    Map<Integer, ArrayNode> byFrame = new HashMap<>();
    for (ObjectNode shape : task.shapes()) {
      ObjectNode named = shape.deepCopy();
      named.put("label", names.get(shape.get("label_id").asInt()));
      for (JsonNode attribute : shape.get("attributes")) {
        if ("confidence".equals(confidenceIds.get(attribute.get("spec_id").asInt()))) {
          named.put("confidence", Integer.parseInt(attribute.get("value").asText()) / 100.0);
        }
      }
      byFrame.computeIfAbsent(shape.get("frame").asInt(), f -> JSON.createArrayNode()).add(named);
    }
    return byFrame;
  }

  private static long count(List<CvatStandIn.Received> requests, String method) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().contains("/annotations")).count();
  }

  private int expectedShapes(List<Integer> frames) {
    int total = 0;
    for (int frame : frames) {
      total += serverAnswer(StandInTasks.fixtureFrame(frame)).size();
    }
    return total;
  }

  @Test
  void theFirstChunksDownloadWhileTheFunctionLoads() {
    CvatStandIn.Task task = shapesTask(4, Set.of());
    AtomicBoolean askedWhileLoading = new AtomicBoolean();
    AnnotateFixture.Outcome outcome = AnnotateFixture.request(standIn, task).run(() -> {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // a model that takes its time to load
      while (chunksAskedFor() == 0 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      askedWhileLoading.set(chunksAskedFor() > 0);
      return new Annotation.Loaded(detector, 4);
    }, "confidence");
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    assertTrue(askedWhileLoading.get(), "no chunk was asked for while the function loaded");
  }

  private long chunksAskedFor() {
    return standIn.received().stream().filter(r -> r.path().endsWith("/data") && r.query().contains("type=chunk"))
        .count();
  }

  @Test
  void aHoneypotTasksHoneypotFramesAreLeftToCvat() {
    CvatStandIn.Task task = shapesTask(4, Set.of()).honeypots(Set.of(2, 5, 9));
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task));
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    List<Integer> annotated = range(0, 12).stream().filter(frame -> !Set.of(2, 5, 9).contains(frame)).toList();
    assertEquals(expectedShapes(annotated), task.shapes().size());
    assertTrue(shapesByFrame(task).keySet().stream().noneMatch(Set.of(2, 5, 9)::contains), "no shapes on honeypots");
    assertTrue(outcome.output().contains("its 3 honeypot frames are left to CVAT"), outcome.output());
  }

  @Test
  void deletedFramesAreSkippedAndOnlyTheFramesAskedForAreAnnotated() {
    CvatStandIn.Task task = shapesTask(4, Set.of(4));
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task).frames("2-7"));
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    assertEquals(Set.of(2, 3, 5, 6, 7), shapesByFrame(task).keySet());
    assertEquals(expectedShapes(List.of(2, 3, 5, 6, 7)), task.shapes().size());
    assertTrue(outcome.output().contains("1 deleted frames skipped"), outcome.output());
  }

  @Test
  void clearExistingReplacesWhatTheTaskHad() {
    CvatStandIn.Task task = shapesTask(6, Set.of());
    assertEquals(Annotation.DONE, run(AnnotateFixture.request(standIn, task)).status());
    AnnotateFixture.Outcome again = run(AnnotateFixture.request(standIn, task).clear());
    assertEquals(Annotation.DONE, again.status(), again.output());
    assertEquals(expectedShapes(range(0, 12)), task.shapes().size(), "the first run's shapes were cleared");
    assertEquals(1, count(standIn.received(), "DELETE"));
  }

  @Test
  void aDryRunWritesCvatsJsonAndUploadsNothing() throws Exception {
    CvatStandIn.Task task = shapesTask(5, Set.of());
    Path file = temp.resolve("target/cvat/annotations-" + task.id() + ".json");
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task).dryRun(file));
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    JsonNode written = JSON.readTree(file.toFile());
    assertEquals(expectedShapes(range(0, 12)), written.get("shapes").size());
    assertEquals(0, written.get("tracks").size());
    assertEquals(0, count(standIn.received(), "PATCH"));
    assertTrue(task.shapes().isEmpty());
  }

  @Test
  void signsInWithAPasswordAndWithALegacyKey() {
    CvatStandIn.Task task = shapesTask(12, Set.of());
    AnnotateFixture.Outcome login = run(AnnotateFixture.request(standIn, task).frames("0-1")
        .credentials(new CvatCredentials.Login(AnnotateFixture.USER, AnnotateFixture.PASSWORD)));
    assertEquals(Annotation.DONE, login.status(), login.output());
    standIn.withoutPersonalAccessTokens().loginKey(AnnotateFixture.USER, "legacy-key-77");
    AnnotateFixture.Outcome legacy = run(AnnotateFixture.request(standIn, task).frames("2-3")
        .credentials(new CvatCredentials.Token("legacy-key-77")));
    assertEquals(Annotation.DONE, legacy.status(), legacy.output());
    assertEquals(expectedShapes(range(0, 4)), task.shapes().size());
    assertFalse((login.output() + legacy.output()).contains(AnnotateFixture.PASSWORD));
    assertFalse(legacy.output().contains("legacy-key-77"));
  }

  @Test
  void serverErrorsAndDroppedConnectionsAreRetried() {
    CvatStandIn.Task task = shapesTask(4, Set.of());
    standIn.failNext("GET", "/api/tasks/" + task.id() + "/data", 502, 2)
        .dropNext("PATCH", "/api/tasks/" + task.id() + "/annotations", 1)
        .failNext("GET", "/api/labels", 500, 1);
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task));
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    assertEquals(expectedShapes(range(0, 12)), task.shapes().size(), "every frame once");
    assertEquals(4, outcome.output().lines().filter(l -> l.startsWith("WARNING could not")).count(),
        outcome.output());
  }

  @Test
  void anOutageStopsTheRunAndTheResumeFileFinishesItWithoutDuplicates() throws Exception {
    CvatStandIn.Task task = shapesTask(3, Set.of());
    Path resume = temp.resolve("annotate-" + task.id() + ".resume");
    standIn.outageAfterCreates(2);
    AnnotateFixture.Outcome stopped = run(AnnotateFixture.request(standIn, task).resume(resume).clear());
    assertEquals(Annotation.STOPPED, stopped.status(), stopped.output());
    assertTrue(stopped.output().contains("uploaded in this run: frames 0-5 (6 of 12); not annotated: 6-11"),
        stopped.output());
    assertTrue(stopped.output().contains("-Dcvat.annotate.frames=6-11"), stopped.output());
    assertTrue(stopped.output().contains("the resume file " + resume), stopped.output());
    assertEquals(expectedShapes(range(0, 6)), task.shapes().size());

    standIn.recover();
    AnnotateFixture.Outcome resumed = run(AnnotateFixture.request(standIn, task).resume(resume).clear());
    assertEquals(Annotation.DONE, resumed.status(), resumed.output());
    assertTrue(resumed.output().contains("resuming: frames 0-5 were uploaded"), resumed.output());
    assertEquals(1, count(standIn.received(), "DELETE"), "a resumed run does not clear again");
    Map<Integer, ArrayNode> byFrame = shapesByFrame(task);
    for (int frame = 0; frame < 12; frame++) {
      assertEquals(serverAnswer(Fixtures.FRAMES.get(frame)).size(),
          byFrame.getOrDefault(frame, JSON.createArrayNode()).size(), "frame " + frame + " annotated exactly once");
    }
    assertFalse(Files.exists(resume), "a completed run deletes its resume file");
  }

  @Test
  void anUploadCvatCarriedOutWhoseAnswerWasLostIsNotSentAgain() {
    CvatStandIn.Task task = shapesTask(4, Set.of());
    String annotations = "/api/tasks/" + task.id() + "/annotations";
    standIn.loseAnswerOfNext("PATCH", annotations, 1).failAfterDoingNext("PATCH", annotations, 504, 1);
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task));
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    assertOnce(task);
    assertEquals(3, count(standIn.received(), "PATCH"), "each chunk sent once");
    assertEquals(2, outcome.output().lines().filter(l -> l.contains("CVAT had carried out the request to upload")
        && l.endsWith("not sent again")).count(), outcome.output());
  }

  @Test
  void aLostAnswerIsLookedForInTheJobsThatHoldItsFramesNotInTheWholeTask() {
    CvatStandIn.Task task = shapesTask(4, Set.of()).segments(3); // jobs of frames 0-2, 3-5, 6-8, 9-11
    standIn.loseAnswerOfNext("PATCH", "/api/tasks/" + task.id() + "/annotations", 1); // chunk 0: frames 0-3
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task));
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    assertOnce(task);
    assertEquals(3, count(standIn.received(), "PATCH"), "each chunk sent once");
    List<String> read = standIn.received().stream().filter(r -> r.method().equals("GET")
        && r.path().endsWith("/annotations")).map(CvatStandIn.Received::path).toList();
    int first = 1000 * task.id();
    assertEquals(List.of("/api/jobs/" + (first + 1) + "/annotations", "/api/jobs/" + (first + 2) + "/annotations"),
        read, "the two jobs that hold frames 0-3, and nothing else");
    assertEquals(2, standIn.received().stream().filter(r -> r.path().equals("/api/jobs")).count(),
        "the jobs are listed once (two pages of two)");
  }

  /**
   * Refused by a proxy that lets only the task's own paths through: the list of jobs, or a job's annotations; or none
   * refused, but a task of an organization annotated without naming it, whose jobs CVAT lists only to those on it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"/api/jobs", "/api/jobs/", ""})
  void aLostAnswerIsLookedForInTheWholeTaskWhenItsJobsCannotBeRead(String refused) {
    CvatStandIn.Task task = StandInTasks.shapes(standIn, refused.isEmpty() ? "lab" : null, 1, 4, Set.of(),
        StandInTasks.shapesLabels("rectangle")).segments(3);
    standIn.loseAnswerOfNext("PATCH", "/api/tasks/" + task.id() + "/annotations", 1);
    if (!refused.isEmpty()) {
      standIn.failNext("GET", refused, 403, 1);
    }
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task));
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    assertOnce(task);
    assertEquals(3, count(standIn.received(), "PATCH"), "each chunk sent once");
    assertEquals(1, standIn.received().stream().filter(r -> r.method().equals("GET")
        && r.path().equals("/api/tasks/" + task.id() + "/annotations")).count());
    assertEquals(refused.equals("/api/jobs"), outcome.output().contains("could not list the jobs of task " + task.id()
        + ": CVAT answered 403"), outcome.output());
  }

  @Test
  void anUploadAProxyGaveUpOnWhileCvatWasWritingItIsNotSentAgain() {
    CvatStandIn.Task task = shapesTask(4, Set.of());
    // the proxy answers 504 after 1.5 s, and CVAT commits the chunk 0.1 s after that
    standIn.finishAfterAnsweringNext("PATCH", "/api/tasks/" + task.id() + "/annotations", 504, 1500, 100);
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task));
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    assertOnce(task);
    assertEquals(3, count(standIn.received(), "PATCH"), "each chunk sent once");
    assertTrue(outcome.output().contains("as long as the lost try took: CVAT may still be carrying it out"),
        outcome.output());
  }

  @Test
  void theWaitForALostWriteIsWaitedOnceEvenWhenCvatCannotBeAskedAfterIt() {
    CvatStandIn.Task task = shapesTask(4, Set.of());
    String annotations = "/api/tasks/" + task.id() + "/annotations";
    standIn.finishAfterAnsweringNext("PATCH", annotations, 504, 1000, 100).failNext("GET", "/api/jobs/", 500, 1);
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task));
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    assertOnce(task);
    assertEquals(1, outcome.output().lines().filter(l -> l.contains("as long as the lost try took")).count(),
        outcome.output());
    assertTrue(outcome.output().contains("CVAT had carried out the request to upload"), outcome.output());
  }

  @Test
  void aRunThatEndedWhileCvatWroteAChunkIsResumedWithoutSendingItAgain() throws Exception {
    CvatStandIn.Task task = shapesTask(4, Set.of());
    Path resume = temp.resolve("annotate-" + task.id() + ".resume");
    // CVAT writes the first chunk but its answer is lost, and CVAT cannot be asked whether it has it (before each of
    // the 3 later tries and after the last) until the run gives up: as if the run had been killed mid-upload.
    standIn.loseAnswerOfNext("PATCH", "/api/tasks/" + task.id() + "/annotations", 1)
        .failNext("GET", "/api/jobs/", 500, 4);
    AnnotateFixture.Outcome stopped = run(AnnotateFixture.request(standIn, task).resume(resume));
    assertEquals(Annotation.STOPPED, stopped.status(), stopped.output());
    assertTrue(stopped.output().contains("whether CVAT carried out the last try is unknown"), stopped.output());
    assertTrue(stopped.output().contains("uploaded in this run: no frames (0 of 12); not annotated: 4-11"),
        stopped.output());
    assertTrue(stopped.output().contains("frames 0-3 were sent but CVAT's answer was lost: CVAT may hold their "
        + "annotations (the next run checks)"), stopped.output());
    assertEquals(expectedShapes(range(0, 4)), task.shapes().size(), "CVAT holds the first chunk");
    long patches = count(standIn.received(), "PATCH");

    AnnotateFixture.Outcome resumed = run(AnnotateFixture.request(standIn, task).resume(resume));
    assertEquals(Annotation.DONE, resumed.status(), resumed.output());
    assertTrue(resumed.output().contains("the annotations of frames 0-3 (chunk 0) reached CVAT in the run that "
        + "stopped while sending them: not sent again"), resumed.output());
    assertEquals(2, count(standIn.received(), "PATCH") - patches, "only the two chunks CVAT lacked are sent");
    assertOnce(task);
    try (var left = Files.list(temp)) {
      assertEquals(List.of(), left.toList(), "a completed run deletes the resume file and what it kept");
    }
  }

  private void assertOnce(CvatStandIn.Task task) {
    Map<Integer, ArrayNode> byFrame = shapesByFrame(task);
    for (int frame = 0; frame < 12; frame++) {
      assertEquals(serverAnswer(Fixtures.FRAMES.get(frame)).size(),
          byFrame.getOrDefault(frame, JSON.createArrayNode()).size(), "frame " + frame + " annotated exactly once");
    }
  }

  @Test
  void aTaskThatCannotBeAnnotatedIsRefusedInOneLineBeforeAnyWork() {
    CvatStandIn.Task lab = StandInTasks.shapes(standIn, "other-lab", 1, 4, Set.of(),
        StandInTasks.shapesLabels("rectangle"));
    standIn.user("someone", "pw", "other-lab");
    assertRefused(AnnotateFixture.request(standIn, lab), "is not yours to annotate (403");
    assertRefused(AnnotateFixture.request(standIn, lab).task(999), "task 999 does not exist");
    assertRefused(AnnotateFixture.request(standIn, standIn.videoTask("clip", 100,
        StandInTasks.shapesLabels("rectangle"))), "is a video task");
    assertRefused(AnnotateFixture.request(standIn, standIn.pointCloudTask("lidar",
        StandInTasks.shapesLabels("cuboid"))), "is a 3D (point cloud) task");
    assertRefused(AnnotateFixture.request(standIn, standIn.emptyTask("nothing yet",
        StandInTasks.shapesLabels("rectangle"))), "has no frames: upload its images");
    CvatStandIn.Task task = shapesTask(4, Set.of());
    assertRefused(AnnotateFixture.request(standIn, task).credentials(new CvatCredentials.Token("wrong-token-1")),
        "refused the access token");
    assertRefused(AnnotateFixture.request(standIn, task).credentials(
        new CvatCredentials.Login(AnnotateFixture.USER, "wrong-password-2")), "refused the user name or password");
    assertRefused(AnnotateFixture.request(standIn, task).org("nowhere"), "organization does not exist");
    StandInTasks.shapes(standIn, "lab", 1, 2, Set.of(), StandInTasks.shapesLabels("rectangle"));
    assertRefused(AnnotateFixture.request(standIn, task).org("lab"), "task " + task.id() + " has no labels in the "
        + "organization 'lab': if the task is not in it, leave out -Dcvat.annotate.org / --org");
    assertEquals(0, standIn.received().stream().filter(r -> r.path().endsWith("/annotations")).count());
  }

  private void assertRefused(AnnotateFixture.Builder request, String reason) {
    AnnotateFixture.Outcome outcome = run(request);
    assertEquals(Annotation.REFUSED, outcome.status(), outcome.output());
    List<String> lines = outcome.output().lines().toList();
    assertEquals(1, lines.size(), outcome.output());
    assertTrue(lines.get(0).startsWith("cvat:annotate: ") && lines.get(0).contains(reason), outcome.output());
    for (String secret : List.of(AnnotateFixture.TOKEN, AnnotateFixture.PASSWORD, "wrong-token-1",
        "wrong-password-2")) {
      assertFalse(outcome.output().contains(secret), "the output shows a secret: " + outcome.output());
    }
  }

  @Test
  void aTaskInTheUsersOrganizationIsAnnotatedWithIt() {
    CvatStandIn.Task task = StandInTasks.shapes(standIn, "lab", 1, 6, Set.of(), StandInTasks.shapesLabels("rectangle"));
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task).org("lab").frames("0-5"));
    assertEquals(Annotation.DONE, outcome.status(), outcome.output());
    assertEquals(expectedShapes(range(0, 6)), task.shapes().size());
    assertTrue(standIn.received().stream().allMatch(r -> r.header("X-Organization").equals(List.of("lab"))));
  }

  @Test
  void labelsTheTaskLacksAreAllListedUnlessAllowedThenLeftOut() {
    List<CvatStandIn.LabelDef> labels = List.of(
        new CvatStandIn.LabelDef("circle", "rectangle", List.of(StandInTasks.CONFIDENCE), List.of()),
        new CvatStandIn.LabelDef("square", "any", List.of(), List.of()),
        new CvatStandIn.LabelDef("dog", "rectangle", List.of(), List.of()));
    CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 12, Set.of(), labels);
    AnnotateFixture.Outcome refused = run(AnnotateFixture.request(standIn, task));
    assertEquals(Annotation.REFUSED, refused.status(), refused.output());
    assertTrue(refused.output().contains("the task has no label 'triangle', attribute 'confidence'") == false
        && refused.output().contains("label 'triangle'") && refused.output().contains("'dog' (rectangle)")
        && refused.output().contains("'square' (any)"), refused.output());

    AnnotateFixture.Outcome allowed = run(AnnotateFixture.request(standIn, task).allowUnmatched());
    assertEquals(Annotation.DONE, allowed.status(), allowed.output());
    assertTrue(allowed.output().contains("WARNING the task has no label 'triangle'"), allowed.output());
    Map<Integer, String> names = new HashMap<>();
    task.labels().forEach(l -> names.put(l.get("id").asInt(), l.get("name").asText()));
    List<String> uploaded = new ArrayList<>();
    task.shapes().forEach(s -> uploaded.add(names.get(s.get("label_id").asInt())));
    assertFalse(uploaded.contains("triangle"));
    assertTrue(uploaded.contains("circle") && uploaded.contains("square"), uploaded.toString());
    // square has no confidence attribute in this task: its shapes carry none, circle's carry theirs
    task.shapes().forEach(s -> assertEquals(names.get(s.get("label_id").asInt()).equals("circle") ? 1 : 0,
        s.get("attributes").size()));
  }

  @Test
  void labelsThatDoNotFitAreRefusedBeforeTheFunctionLoadsOrAFrameIsFetched() {
    CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 4, Set.of(), StandInTasks.shapesLabels("polygon"));
    AtomicBoolean loaded = new AtomicBoolean();
    AnnotateFixture.Outcome outcome = AnnotateFixture.request(standIn, task).run(new Annotation.DetectorLoader() {
      @Override
      public List<LabelSpec> labels() throws Exception {
        return new ScoredBoxes().labelSpecs(HandlerOptions.cpu()); // from the model file: not loaded
      }

      @Override
      public Annotation.Loaded load() {
        loaded.set(true);
        return new Annotation.Loaded(detector, 4);
      }
    }, "confidence");
    assertEquals(Annotation.REFUSED, outcome.status(), outcome.output());
    assertTrue(outcome.output().contains("label 'circle' is a rectangle label of the function but a polygon label of "
        + "the task"), outcome.output());
    assertFalse(loaded.get(), "the function was loaded");
    assertEquals(0, chunksAskedFor(), "frames were fetched");
  }

  @Test
  void aLabelOfAnotherTypeIsAMismatch() {
    CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 12, Set.of(), StandInTasks.shapesLabels("polygon"));
    AnnotateFixture.Outcome outcome = run(AnnotateFixture.request(standIn, task).allowUnmatched());
    assertEquals(Annotation.REFUSED, outcome.status(), outcome.output());
    assertTrue(outcome.output().contains("label 'circle' is a rectangle label of the function but a polygon label of "
        + "the task"), outcome.output());
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> frames = new ArrayList<>();
    for (int i = from; i < to; i++) {
      frames.add(i);
    }
    return frames;
  }
}
