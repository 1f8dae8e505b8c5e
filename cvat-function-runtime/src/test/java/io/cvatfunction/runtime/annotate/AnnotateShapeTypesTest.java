package io.cvatfunction.runtime.annotate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.TestDetectors;
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

/**
 * Masks, polygons and skeletons through a CVAT stand-in: what CVAT receives, decoded back, is what the function
 * server answers for the same frame.
 */
class AnnotateShapeTypesTest {

  /** The fixture's segment model with each score in the confidence attribute. */
  @CvatFunction(name = "scored-masks", description = "Shapes as masks, scored", workers = 2,
      model = "classpath:fixtures/models/shapes-yolov8n-seg.torchscript", confidenceAttribute = "confidence")
  public static class ScoredMasks extends YoloDetector {}

  @AutoClose
  private final CvatStandIn standIn = AnnotateFixture.standIn();

  @Test
  void masksDecodedFromCvatsRunLengthsAreTheServersMasks() {
    ScoredMasks detector = new ScoredMasks();
    try (ServerFixture server = ServerFixture.ready(detector)) {
      CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 5, Set.of(), StandInTasks.shapesLabels("mask"));
      AnnotateFixture.Outcome outcome = AnnotateFixture.request(standIn, task).run(detector, "confidence");
      assertEquals(Annotation.DONE, outcome.status(), outcome.output());
      Map<Integer, List<JsonNode>> uploaded = byFrame(task);
      int masks = 0;
      for (int frame = 0; frame < 12; frame++) {
        JsonNode answer = ServerFixture.json(server.detect(Fixtures.frame(Fixtures.FRAMES.get(frame)), 0.5));
        List<JsonNode> shapes = uploaded.getOrDefault(frame, List.of());
        assertEquals(answer.size(), shapes.size(), "frame " + frame);
        for (int i = 0; i < answer.size(); i++) {
          assertEquals("mask", shapes.get(i).get("type").asText());
          assertArrayEquals(ints(answer.get(i).get("mask")), MaskRle.decode(ints(shapes.get(i).get("points"))),
              "frame " + frame + " shape " + i);
          masks++;
        }
      }
      assertTrue(masks > 12, "the frames have masks: " + masks);
    }
  }

  @Test
  void masksConvertedToPolygonsAreTheServersOutlines() {
    ScoredMasks detector = new ScoredMasks();
    try (ServerFixture server = ServerFixture.ready(detector)) {
      CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 6, Set.of(), StandInTasks.shapesLabels("polygon"));
      AnnotateFixture.Outcome outcome = AnnotateFixture.request(standIn, task).frames("0-5").convMaskToPoly()
          .run(detector, "confidence");
      assertEquals(Annotation.DONE, outcome.status(), outcome.output());
      Map<Integer, List<JsonNode>> uploaded = byFrame(task);
      for (int frame = 0; frame < 6; frame++) {
        JsonNode answer = ServerFixture.json(server.detect(Fixtures.frame(Fixtures.FRAMES.get(frame)), 0.5));
        List<JsonNode> shapes = uploaded.getOrDefault(frame, List.of());
        assertEquals(answer.size(), shapes.size(), "frame " + frame);
        for (int i = 0; i < answer.size(); i++) {
          assertEquals("polygon", shapes.get(i).get("type").asText());
          assertEquals(answer.get(i).get("points").toString(), shapes.get(i).get("points").toString());
        }
      }
    }
  }

  @Test
  void skeletonsCarryEveryKeypointAsItsSublabel() {
    TestDetectors.ShapesPose detector = new TestDetectors.ShapesPose();
    try (ServerFixture server = ServerFixture.ready(detector)) {
      List<CvatStandIn.LabelDef> labels = new ArrayList<>();
      for (LabelSpec spec : detector.labelSpecs()) {
        labels.add(new CvatStandIn.LabelDef(spec.name(), "skeleton", List.of(StandInTasks.CONFIDENCE),
            spec.sublabels()));
      }
      List<String> names = Fixtures.FRAMES;
      List<byte[]> frames = names.stream().map(n -> Fixtures.frame(Fixtures.POSE, n)).toList();
      CvatStandIn.Task task = standIn.imageTask("pose", null, names, frames, 4, Set.of(), labels);
      AnnotateFixture.Outcome outcome = AnnotateFixture.request(standIn, task).run(detector, "confidence");
      assertEquals(Annotation.DONE, outcome.status(), outcome.output());
      Map<Integer, String> sublabelNames = new HashMap<>();
      task.labels().forEach(l -> l.get("sublabels").forEach(s -> sublabelNames.put(s.get("id").asInt(),
          s.get("name").asText())));
      Map<Integer, List<JsonNode>> uploaded = byFrame(task);
      int skeletons = 0;
      for (int frame = 0; frame < 12; frame++) {
        JsonNode answer = ServerFixture.json(server.detect(frames.get(frame), 0.5));
        List<JsonNode> shapes = uploaded.getOrDefault(frame, List.of());
        assertEquals(answer.size(), shapes.size(), "frame " + frame);
        for (int i = 0; i < answer.size(); i++) {
          JsonNode elements = shapes.get(i).get("elements");
          assertEquals(4, elements.size());
          for (int k = 0; k < 4; k++) {
            JsonNode expected = answer.get(i).get("elements").get(k);
            JsonNode element = elements.get(k);
            assertEquals(expected.get("label").asText(), sublabelNames.get(element.get("label_id").asInt()));
            assertEquals(expected.get("points").toString(), element.get("points").toString());
            assertEquals(expected.path("outside").asBoolean(false), element.get("outside").asBoolean());
            assertEquals(frame, element.get("frame").asInt());
          }
          skeletons++;
        }
      }
      assertTrue(skeletons > 0);
    }
  }

  private static Map<Integer, List<JsonNode>> byFrame(CvatStandIn.Task task) {
    Map<Integer, List<JsonNode>> byFrame = new HashMap<>();
    task.shapes().stream().sorted(Comparator.comparingInt(s -> s.get("id").asInt()))
        .forEach(s -> byFrame.computeIfAbsent(s.get("frame").asInt(), f -> new ArrayList<>()).add(s));
    return byFrame;
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

}
