package io.cvatfunction.runtime.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.Detector;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.cvat.CvatStandIn;
import io.cvatfunction.runtime.cvat.LabelSpec;
import io.cvatfunction.runtime.cvat.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goal at its size: a 10,000-frame task whose server goes down after frame 4,999 is finished by a second
 * run with the resume file, each frame annotated once, and the second run neither downloads nor runs a frame the
 * first one uploaded. A detector that reads its frame number from the frame's bytes stands in for a model.
 */
class AnnotateResumeAtScaleTest {

  /** Answers one box per frame at x = the frame's own text (+ a shift), and counts the frames it ran. */
  static final class FrameNumberDetector implements Detector {
    final AtomicInteger ran = new AtomicInteger();
    final float shift;

    FrameNumberDetector(float shift) {
      this.shift = shift;
    }

    @Override
    public void load(HandlerOptions options) {}

    @Override
    public List<Shape> detect(byte[] frame, float threshold, RequestTrace trace) {
      ran.incrementAndGet();
      int number = Integer.parseInt(new String(frame, StandardCharsets.US_ASCII));
      return List.of(Shape.rectangle("frame", number + shift, 0, number + 1 + shift, 1, 0.9f, List.of()));
    }

    @Override
    public float defaultThreshold() {
      return 0.5f;
    }

    @Override
    public List<LabelSpec> labelSpecs() {
      return List.of(new LabelSpec("frame", "rectangle", List.of(), List.of()));
    }
  }

  @AutoClose
  private final CvatStandIn standIn = AnnotateFixture.standIn();

  @TempDir
  Path temp;

  @Test
  void aTenThousandFrameTaskInterruptedAtFrame5000ResumesWithoutRedoingOrDuplicatingAFrame() {
    int size = 10_000;
    List<String> names = new ArrayList<>();
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      names.add(i + ".jpg");
      frames.add(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
    }
    CvatStandIn.Task task = standIn.imageTask("big", null, names, frames, 100, Set.of(),
        List.of(new CvatStandIn.LabelDef("frame", "rectangle", List.of(), List.of())));
    Path resume = temp.resolve("annotate-" + task.id() + ".resume");
    FrameNumberDetector detector = new FrameNumberDetector(0);

    standIn.outageAfterCreates(50);
    AnnotateFixture.Outcome stopped = AnnotateFixture.request(standIn, task).resume(resume).run(detector, "");
    assertEquals(Annotation.STOPPED, stopped.status(), stopped.output());
    assertTrue(stopped.output().contains("uploaded in this run: frames 0-4999 (5000 of 10000); not annotated: "
        + "5000-9999"), stopped.output());

    standIn.recover();
    int ranBefore = detector.ran.get();
    long downloadsBefore = chunkDownloads();
    AnnotateFixture.Outcome resumed = AnnotateFixture.request(standIn, task).resume(resume).run(detector, "");
    assertEquals(Annotation.DONE, resumed.status(), resumed.output());
    assertEquals(5000, detector.ran.get() - ranBefore, "the second run runs only the frames left");
    assertEquals(50, chunkDownloads() - downloadsBefore, "the second run downloads only the chunks left");

    int[] perFrame = new int[size];
    task.shapes().forEach(s -> perFrame[s.get("frame").asInt()]++);
    task.shapes().forEach(s -> assertEquals(s.get("frame").asInt(), s.get("points").get(0).asInt()));
    List<Integer> notOnce = new ArrayList<>();
    for (int frame = 0; frame < size; frame++) {
      if (perFrame[frame] != 1) {
        notOnce.add(frame);
      }
    }
    assertEquals(Collections.emptyList(), notOnce, "frames not annotated exactly once");
  }

  @Test
  void aChunkARunSentBeforeItEndedIsLookedForAsItWasSentThoughTheNextRunAnswersALittleDifferently() {
    List<String> names = new ArrayList<>();
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      names.add(i + ".jpg");
      frames.add(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
    }
    CvatStandIn.Task task = standIn.imageTask("shifting", null, names, frames, 100, Set.of(),
        List.of(new CvatStandIn.LabelDef("frame", "rectangle", List.of(), List.of())));
    Path resume = temp.resolve("annotate-" + task.id() + ".resume");
    // The first chunk is written but its answer lost, and CVAT cannot be asked about it until the run gives up.
    standIn.loseAnswerOfNext("PATCH", "/api/tasks/" + task.id() + "/annotations", 1)
        .failNext("GET", "/api/jobs/", 500, 4);
    AnnotateFixture.Outcome stopped = AnnotateFixture.request(standIn, task).resume(resume)
        .run(new FrameNumberDetector(0), "");
    assertEquals(Annotation.STOPPED, stopped.status(), stopped.output());
    assertEquals(100, task.shapes().size(), stopped.output());

    // Boxes 0.25 px away from the first run's, as a GPU's batches of another make-up may answer.
    AnnotateFixture.Outcome resumed = AnnotateFixture.request(standIn, task).resume(resume)
        .run(new FrameNumberDetector(0.25f), "");
    assertEquals(Annotation.DONE, resumed.status(), resumed.output());
    assertTrue(resumed.output().contains("frames 0-99 (chunk 0) reached CVAT"), resumed.output());
    int[] perFrame = new int[300];
    task.shapes().forEach(s -> perFrame[s.get("frame").asInt()]++);
    assertTrue(Arrays.stream(perFrame).allMatch(n -> n == 1), "every frame exactly once: " + Arrays.toString(perFrame));
  }

  private long chunkDownloads() {
    return standIn.received().stream().filter(r -> r.path().endsWith("/data") && r.query().contains("type=chunk"))
        .count();
  }
}
