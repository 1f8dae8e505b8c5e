package io.cvatfunction.runtime.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.TestDetectors;
import io.cvatfunction.runtime.cvat.ConfidenceAttribute;
import io.cvatfunction.runtime.cvat.CvatStandIn;
import io.cvatfunction.runtime.cvat.LabelSpec;
import io.cvatfunction.runtime.cvat.StandInTasks;
import io.cvatfunction.runtime.server.ServerFixture;
import io.cvatfunction.runtime.yolo.YoloDetector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** A classifier's tags and an OBB model's rotated rectangles through a CVAT stand-in, as the server answers them. */
class AnnotateTagsAndRotationsTest {

  @AutoClose
  private final CvatStandIn standIn = AnnotateFixture.standIn();

  private CvatStandIn.Task task(YoloDetector detector, String set, String type, boolean confidence) {
    List<CvatStandIn.LabelDef> labels = new ArrayList<>();
    for (LabelSpec spec : detector.labelSpecs()) {
      labels.add(new CvatStandIn.LabelDef(spec.name(), type,
          confidence ? List.of(StandInTasks.CONFIDENCE) : List.of(), List.of()));
    }
    List<byte[]> frames = Fixtures.FRAMES.stream().map(n -> Fixtures.frame(set, n)).toList();
    return standIn.imageTask(set, null, Fixtures.FRAMES, frames, 5, Set.of(), labels);
  }

  @Test
  void aClassifiersTagsAreUploadedAsTagsWithTheirScore() {
    TestDetectors.ShapesCls detector = new TestDetectors.ShapesCls();
    try (ServerFixture server = ServerFixture.ready(detector)) {
      CvatStandIn.Task task = task(detector, Fixtures.CLASSIFY, "tag", true);
      AnnotateFixture.Outcome outcome = AnnotateFixture.request(standIn, task).run(detector, "confidence");
      assertEquals(Annotation.DONE, outcome.status(), outcome.output());
      assertTrue(task.shapes().isEmpty());
      Map<Integer, String> names = new HashMap<>();
      task.labels().forEach(l -> names.put(l.get("id").asInt(), l.get("name").asText()));
      Map<Integer, List<JsonNode>> tags = new HashMap<>();
      task.tags().forEach(t -> tags.computeIfAbsent(t.get("frame").asInt(), f -> new ArrayList<>()).add(t));
      for (int frame = 0; frame < 12; frame++) {
        // the classifier's default threshold, as the server applies to a request without one
        JsonNode answer = ServerFixture.json(server.detect(Fixtures.frame(Fixtures.CLASSIFY, Fixtures.FRAMES.get(frame)),
            null));
        List<JsonNode> uploaded = tags.getOrDefault(frame, List.of());
        assertEquals(answer.size(), uploaded.size(), "frame " + frame);
        for (int i = 0; i < answer.size(); i++) {
          assertEquals(answer.get(i).get("label").asText(), names.get(uploaded.get(i).get("label_id").asInt()));
          assertEquals(ConfidenceAttribute.value((float) answer.get(i).get("confidence").asDouble()),
              uploaded.get(i).get("attributes").get(0).get("value").asText());
        }
      }
    }
  }

  @Test
  void anObbModelsRectanglesKeepTheirRotation() {
    TestDetectors.ShapesObb detector = new TestDetectors.ShapesObb();
    try (ServerFixture server = ServerFixture.ready(detector)) {
      CvatStandIn.Task task = task(detector, Fixtures.OBB, "rectangle", false);
      AnnotateFixture.Outcome outcome = AnnotateFixture.request(standIn, task).run(detector, "");
      assertEquals(Annotation.DONE, outcome.status(), outcome.output());
      Map<Integer, List<JsonNode>> byFrame = new HashMap<>();
      task.shapes().stream().sorted(Comparator.comparingInt(s -> s.get("id").asInt()))
          .forEach(s -> byFrame.computeIfAbsent(s.get("frame").asInt(), f -> new ArrayList<>()).add(s));
      int rotated = 0;
      for (int frame = 0; frame < 12; frame++) {
        JsonNode answer = ServerFixture.json(server.detect(Fixtures.frame(Fixtures.OBB, Fixtures.FRAMES.get(frame)),
            0.5));
        List<JsonNode> uploaded = byFrame.getOrDefault(frame, List.of());
        assertEquals(answer.size(), uploaded.size(), "frame " + frame);
        for (int i = 0; i < answer.size(); i++) {
          assertEquals(answer.get(i).get("points").toString(), uploaded.get(i).get("points").toString());
          double expected = answer.get(i).path("rotation").asDouble(0);
          double actual = uploaded.get(i).path("rotation").asDouble(0);
          assertEquals(((expected % 360) + 360) % 360, actual, 1e-4);
          assertTrue(actual >= 0 && actual <= 360);
          rotated += actual != 0 ? 1 : 0;
        }
      }
      assertTrue(rotated > 0, "some rectangles are rotated");
    }
  }
}
