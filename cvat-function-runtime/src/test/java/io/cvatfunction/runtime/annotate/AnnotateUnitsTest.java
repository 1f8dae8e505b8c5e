package io.cvatfunction.runtime.annotate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.cvat.LabelSpec;
import io.cvatfunction.runtime.cvat.Shape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The small pieces: run lengths, frame ranges, arguments, credentials, label mapping rules, task planning. */
class AnnotateUnitsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void maskRunLengthsStartWithZerosAndEndWithTheInclusiveBox() {
    int[] mask = {1, 1, 0, 0, 1, 1, 10, 20, 12, 21}; // a 3x2 box at (10, 20)
    assertArrayEquals(new int[] {0, 2, 2, 2, 10, 20, 12, 21}, MaskRle.encode(mask));
    assertArrayEquals(mask, MaskRle.decode(MaskRle.encode(mask)));
    int[] empty = {0, 0, 0, 0, 5, 5, 6, 6};
    assertArrayEquals(new int[] {4, 5, 5, 6, 6}, MaskRle.encode(empty));
  }

  @Test
  void storedAnnotationsHoldAWriteOnlyWhenEachOfItsItemsHasItsOwnCounterpart() throws Exception {
    String box = "{\"frame\":3,\"label_id\":7,\"type\":\"rectangle\",\"source\":\"auto\","
        + "\"attributes\":[{\"spec_id\":4,\"value\":\"0.87\"}],\"points\":[1.5,2.25,30.125,40]}";
    String sameBoxAsCvatKeepsIt = "{\"frame\":3,\"label_id\":7,\"type\":\"rectangle\",\"id\":91,"
        + "\"source\":\"auto\",\"attributes\":[{\"spec_id\":5,\"value\":\"false\"},{\"spec_id\":4,"
        + "\"value\":\"0.87\"}],\"rotation\":0.0,\"points\":[1.5000001,2.25,30.125,40.0],\"elements\":[]}";
    String skeleton = "{\"frame\":0,\"label_id\":1,\"type\":\"skeleton\",\"source\":\"auto\",\"points\":[],"
        + "\"elements\":[{\"label_id\":2,\"points\":[5,6],\"outside\":false},"
        + "{\"label_id\":3,\"points\":[0,0],\"outside\":true}]}";
    String skeletonElementsReordered = "{\"frame\":0,\"label_id\":1,\"type\":\"skeleton\",\"source\":\"auto\","
        + "\"points\":[],\"elements\":[{\"label_id\":3,\"points\":[0,0],\"outside\":true},"
        + "{\"label_id\":2,\"points\":[5,6]}]}";
    String tag = "{\"frame\":4,\"label_id\":9,\"source\":\"auto\"}";
    String manualTag = "{\"frame\":4,\"label_id\":9,\"source\":\"manual\"}";
    JsonNode stored = data("[" + sameBoxAsCvatKeepsIt + "," + skeletonElementsReordered + "]", "[" + tag + "]");
    assertTrue(StoredAnnotations.hold(stored, data("[" + box + "," + skeleton + "]", "[" + tag + "]")));
    assertTrue(StoredAnnotations.hold(stored, data("[]", "[]")), "an empty write is always held");
    assertFalse(StoredAnnotations.hold(stored, data("[" + box + "," + box + "]", "[]")),
        "two equal boxes need two stored boxes");
    assertFalse(StoredAnnotations.hold(stored, data("[" + box.replace("30.125", "30.2") + "]", "[]")));
    assertFalse(StoredAnnotations.hold(stored, data("[" + box.replace("\"frame\":3", "\"frame\":4") + "]", "[]")));
    assertFalse(StoredAnnotations.hold(stored, data("[" + box.replace("0.87", "0.88") + "]", "[]")), "attributes");
    assertFalse(StoredAnnotations.hold(stored, data("[" + skeleton.replace("[5,6]", "[5,7]") + "]", "[]")));
    assertFalse(StoredAnnotations.hold(stored, data("[]", "[" + tag.replace("9", "8") + "]")));
    assertFalse(StoredAnnotations.hold(data("[]", "[" + manualTag + "]"), data("[]", "[" + tag + "]")),
        "a person's tag does not stand for the function's");
  }

  private static JsonNode data(String shapes, String tags) throws Exception {
    return JSON.readTree("{\"version\":0,\"shapes\":" + shapes + ",\"tags\":" + tags + ",\"tracks\":[]}");
  }

  @Test
  void aWritesFramesAreLookedForInTheJobsThatHoldThemOrElseInTheWholeTask() {
    CvatClient.Job first = new CvatClient.Job(7, 0, 4);
    CvatClient.Job second = new CvatClient.Job(8, 3, 9);
    CvatClient.Job third = new CvatClient.Job(9, 10, 14);
    List<CvatClient.Job> jobs = List.of(first, second, third);
    assertEquals(Optional.of(Map.of(first, new TreeSet<>(List.of(2, 3, 4)), second, new TreeSet<>(List.of(5)))),
        CvatClient.Job.covering(jobs, new TreeSet<>(List.of(2, 3, 4, 5))), "a frame two jobs hold, from the first");
    assertEquals(Optional.of(Map.of(third, new TreeSet<>(List.of(12)))),
        CvatClient.Job.covering(jobs, new TreeSet<>(List.of(12))));
    assertEquals(Optional.empty(), CvatClient.Job.covering(jobs, new TreeSet<>(List.of(13, 15))), "frame 15 in none");
    assertEquals(Optional.empty(), CvatClient.Job.covering(List.of(), new TreeSet<>(List.of(0))), "no jobs listed");
  }

  @Test
  void frameRangesParseAndFormat() {
    assertEquals("0-3,7,9-10", FrameRanges.format(FrameRanges.parse("0-3, 7,9-10")));
    assertEquals("", FrameRanges.format(new TreeSet<>()));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FrameRanges.parse("5-2")).getMessage()
        .contains("write it as 2-5"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FrameRanges.parse("a-b")).getMessage()
        .contains("0-99,200-299"));
  }

  @Test
  void argumentsAreCheckedWithMessagesSayingWhatToDo() {
    AnnotateRequest request = AnnotateCommand.parse(List.of("--url", "https://cvat.example.com", "--task=42",
        "--frames", "0-9", "--threshold", "0.3", "--clear-existing", "--org", "lab", "--resume", "r.txt"));
    assertEquals(42, request.taskId());
    assertEquals(10, request.frames().orElseThrow().size());
    assertEquals(Optional.of(0.3f), request.threshold());
    assertTrue(request.clearExisting());
    assertEquals(Optional.of("lab"), request.org());
    assertMessage(List.of("--task", "42"), "--url is missing");
    assertMessage(List.of("--url", "https://c", "--task", "x"), "--task must be a whole number, got 'x'");
    assertMessage(List.of("--url", "ftp://c", "--task", "1"), "must be http(s)://host");
    assertMessage(List.of("--url", "https://c", "--task", "1", "--threshold", "2"), "threshold must be in [0, 1]");
    assertMessage(List.of("--url", "https://c", "--task", "1", "--bogus"), "unknown argument '--bogus'");
    assertMessage(List.of("--url", "https://c", "--task", "1", "--dry-run", "f", "--clear-existing"),
        "cannot clear existing");
    assertMessage(List.of("--url", "https://c", "--task", "1", "--org"), "--org needs a value");
  }

  private static void assertMessage(List<String> args, String expected) {
    String message = assertThrows(IllegalArgumentException.class, () -> AnnotateCommand.parse(args)).getMessage();
    assertTrue(message.contains(expected), message);
  }

  @Test
  void onAGpuPassesBatchEightFramesUnlessTheUserSaidOtherwiseAndTheCpuRunsTwoAtOnce() {
    HandlerOptions two = new HandlerOptions("auto", Optional.empty(), 1, "auto", 2, OptionalInt.empty(),
        HandlerOptions.DEFAULT_PASS_TIMEOUT);
    AnnotateCommand.Concurrency cpu = AnnotateCommand.concurrency(two, false, false);
    assertEquals(two, cpu.options());
    assertEquals(2, cpu.framesInFlight());
    AnnotateCommand.Concurrency gpu = AnnotateCommand.concurrency(two, false, true);
    assertEquals(8, gpu.options().maxBatch(true));
    assertEquals(16, gpu.framesInFlight());
    assertEquals(4, AnnotateCommand.concurrency(two, true, true).framesInFlight(), "cvat.workers=2 kept");
    HandlerOptions single = new HandlerOptions("gpu", Optional.empty(), 1, "auto", 2, OptionalInt.of(1),
        HandlerOptions.DEFAULT_PASS_TIMEOUT);
    assertEquals(2, AnnotateCommand.concurrency(single, true, true).framesInFlight(), "cvat.batch=1 kept");
  }

  @Test
  void credentialsComeFromTheEnvironmentAndNeverPrint() {
    CvatCredentials token = CvatCredentials.fromEnvironment(Map.of("CVAT_ACCESS_TOKEN", "tok-123")).orElseThrow();
    assertEquals("an access token", token.toString());
    CvatCredentials login = CvatCredentials.fromEnvironment(Map.of("CVAT_USERNAME", "ann", "CVAT_PASSWORD", "pw-9"))
        .orElseThrow();
    assertEquals("user ann and a password", login.toString());
    assertTrue(CvatCredentials.fromEnvironment(Map.of()).isEmpty());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CvatCredentials.fromEnvironment(Map.of("CVAT_USERNAME", "ann"))).getMessage()
        .contains("CVAT_PASSWORD is not set"));
  }

  @Test
  void mappingChecksAttributesAndSkeletonsAndListsEverything() throws Exception {
    List<JsonNode> task = List.of(JSON.readTree("""
        {"id": 1, "name": "person", "type": "skeleton", "attributes": [
          {"id": 11, "name": "pose", "input_type": "select", "values": ["standing", "sitting"]}],
         "sublabels": [{"id": 2, "name": "head"}, {"id": 3, "name": "foot"}]}"""));
    LabelSpec person = new LabelSpec("person", "skeleton",
        List.of(new LabelSpec.AttributeSpec("pose", "select", List.of("standing", "lying"))), List.of("head", "hand"));
    String message = assertThrows(CvatException.class,
        () -> LabelMapping.match(List.of(person), task, "", false, false)).getMessage();
    assertTrue(message.contains("attribute 'pose' of 'person' has the values [standing, lying] in the function but "
        + "[standing, sitting] in the task"), message);
    assertTrue(message.contains("sublabels [foot] that the function does not return"), message);
    assertTrue(message.contains("sublabel 'hand' of 'person'"), message);
    assertTrue(message.contains("'person' (skeleton; sublabels [head, foot]; attributes [pose:select])"), message);

    LabelSpec masks = new LabelSpec("cell", "mask", List.of(), List.of());
    List<JsonNode> polygons = List.of(JSON.readTree("{\"id\": 5, \"name\": \"cell\", \"type\": \"polygon\"}"));
    assertTrue(assertThrows(CvatException.class, () -> LabelMapping.match(List.of(masks), polygons, "", false, false))
        .getMessage().contains("--conv-mask-to-poly"));
    assertEquals(5, LabelMapping.match(List.of(masks), polygons, "", false, true).label("cell").orElseThrow().id());
  }

  @Test
  void aSkeletonGoesToCvatWithEachOfItsKeypointsOnce() throws Exception {
    List<JsonNode> task = List.of(JSON.readTree("{\"id\": 3, \"name\": \"person\", \"type\": \"skeleton\", "
        + "\"sublabels\": [{\"id\": 4, \"name\": \"head\"}, {\"id\": 5, \"name\": \"hand\"}]}"));
    LabelMapping labels = LabelMapping.match(List.of(new LabelSpec("person", "skeleton", List.of(),
        List.of("head", "hand"))), task, "", false, false);
    Shape head = Shape.keypoint("head", 10, 20, false);
    Shape hand = Shape.keypoint("hand", 30, 40, true);
    AnnotationBody body = new AnnotationBody(labels);
    body.add(0, List.of(Shape.skeleton("person", List.of(head, hand), 0.9f, List.of())));
    JsonNode elements = JSON.readTree(body.bytes()).path("shapes").get(0).path("elements");
    assertEquals(List.of(4, 5), List.of(elements.get(0).path("label_id").asInt(), elements.get(1).path("label_id")
        .asInt()));
    assertTrue(elements.get(1).path("outside").asBoolean());

    String missing = assertThrows(CvatException.class, () -> new AnnotationBody(labels).add(7,
        List.of(Shape.skeleton("person", List.of(head), 0.9f, List.of())))).getMessage();
    assertTrue(missing.contains("a 'person' skeleton without keypoints [hand] on frame 7"), missing);
    String twice = assertThrows(CvatException.class, () -> new AnnotationBody(labels).add(7,
        List.of(Shape.skeleton("person", List.of(head, head, hand), 0.9f, List.of())))).getMessage();
    assertTrue(twice.contains("keypoint 'head' twice in a 'person' skeleton on frame 7"), twice);
  }

  @Test
  void planningSplitsFramesByChunkAndLeavesOutDeletedAndDoneFrames() throws Exception {
    JsonNode task = JSON.readTree("{\"id\": 7, \"name\": \"t\", \"size\": 10, \"data_chunk_size\": 4,"
        + " \"dimension\": \"2d\", \"data_original_chunk_type\": \"imageset\"}");
    JsonNode meta = JSON.readTree("{\"chunk_size\": 4, \"deleted_frames\": [1, 9], \"frames\": []}");
    TaskFrames plan = TaskFrames.plan(task, meta, Optional.empty(), new TreeSet<>(List.of(4, 5, 6, 7)));
    assertEquals(List.of(new TaskFrames.Chunk(0, List.of(0, 2, 3)), new TaskFrames.Chunk(2, List.of(8))),
        plan.chunks());
    assertTrue(assertThrows(CvatException.class, () -> TaskFrames.plan(task, meta,
        Optional.of(FrameRanges.parse("5-10")), new TreeSet<>())).getMessage().contains("whose frames are 0-9"));
  }
}
