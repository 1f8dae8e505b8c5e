package io.cvatfunction.runtime.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.cvat.CvatStandIn;
import io.cvatfunction.runtime.cvat.StandInTasks;
import io.cvatfunction.runtime.server.FunctionServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image's entry point, {@code FunctionServer annotate ...}, in a JVM of its own as {@code docker run IMAGE annotate}
 * runs it: credentials from the environment, the handler from {@code cvat.handler}, the exit status and the output.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AnnotateMainIT {

  private record Run(int status, String output) {}

  private static Process start(Map<String, String> env, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dcvat.handler=" + AnnotateTaskTest.ScoredBoxes.class.getName(),
        "-Dcvat.device=cpu", "-Dai.djl.offline=true",
        FunctionServer.class.getName(), "annotate"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("CVAT_ACCESS_TOKEN");
    builder.environment().putAll(env);
    return builder.start();
  }

  private static Run annotate(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Process process = start(env, List.of(args));
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), output);
  }

  @Test
  void theImagesEntryPointAnnotatesATaskWithCredentialsFromTheEnvironment() throws Exception {
    try (CvatStandIn standIn = AnnotateFixture.standIn()) {
      CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 5, Set.of(), StandInTasks.shapesLabels("rectangle"));
      Run run = annotate(Map.of("CVAT_ACCESS_TOKEN", AnnotateFixture.TOKEN), "--url", standIn.url().toString(),
          "--task", Integer.toString(task.id()));
      assertEquals(0, run.status(), run.output());
      assertTrue(run.output().contains("] 12/12 frames"), run.output());
      assertTrue(run.output().contains("annotated 12 frames of task " + task.id()), run.output());
      assertFalse(run.output().contains(AnnotateFixture.TOKEN), run.output());
      Map<Integer, Integer> perFrame = new HashMap<>();
      task.shapes().forEach(s -> perFrame.merge(s.get("frame").asInt(), 1, Integer::sum));
      for (int frame = 0; frame < 12; frame++) {
        assertEquals(Fixtures.reference("shapes-yolov8n", Fixtures.FRAMES.get(frame)).size(),
            perFrame.getOrDefault(frame, 0), "frame " + frame);
      }
    }
  }

  @Test
  void sigtermFinishesTheUploadUnderWayAndTheResumeFileCompletesTheTaskWithoutDuplicates() throws Exception {
    try (CvatStandIn standIn = AnnotateFixture.standIn()) {
      CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 10, 4, Set.of(), StandInTasks.shapesLabels("rectangle"));
      Path resume = Files.createTempDirectory("annotate").resolve("task.resume");
      List<String> args = List.of("--url", standIn.url().toString(), "--task", Integer.toString(task.id()), "--resume",
          resume.toString());
      Process process = start(Map.of("CVAT_ACCESS_TOKEN", AnnotateFixture.TOKEN), args);
      StringBuilder output = new StringBuilder();
      try (BufferedReader lines = process.inputReader(StandardCharsets.UTF_8)) {
        boolean signalled = false;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          output.append(line).append('\n');
          if (!signalled && line.matches(".*\\] (1[2-9]|[2-9]\\d)/120 frames.*")) {
            process.toHandle().destroy(); // SIGTERM, as docker stop; unlike Process.destroy() the output stays open
            signalled = true;
          }
        }
      }
      int status = process.waitFor();
      assertTrue(status != 0, output.toString());
      assertTrue(output.toString().contains("cvat:annotate: stopped: interrupted"), output.toString());
      assertTrue(output.toString().contains("to resume: run the same command again"), output.toString());
      long uploads = standIn.received().stream().filter(r -> r.method().equals("PATCH")).count();
      long recorded = Files.readAllLines(resume).stream().filter(l -> l.startsWith("uploaded ")).count();
      assertEquals(uploads, recorded, "every chunk CVAT accepted is in the resume file");
      assertTrue(uploads > 0 && uploads < 30, "stopped part way: " + uploads);

      Run finished = annotate(Map.of("CVAT_ACCESS_TOKEN", AnnotateFixture.TOKEN), args.toArray(String[]::new));
      assertEquals(0, finished.status(), finished.output());
      Map<Integer, Integer> perFrame = new HashMap<>();
      task.shapes().forEach(s -> perFrame.merge(s.get("frame").asInt(), 1, Integer::sum));
      for (int frame = 0; frame < 120; frame++) {
        assertEquals(Fixtures.reference("shapes-yolov8n", StandInTasks.fixtureFrame(frame)).size(),
            perFrame.getOrDefault(frame, 0), "frame " + frame + " annotated exactly once");
      }
    }
  }

  @Test
  void wrongArgumentsAndMissingCredentialsExitNonZeroWithOneLine() throws Exception {
    Run noCredentials = annotate(Map.of(), "--url", "http://127.0.0.1:9", "--task", "1");
    assertEquals(Annotation.REFUSED, noCredentials.status());
    assertEquals(List.of("cvat:annotate: no CVAT credentials: set CVAT_ACCESS_TOKEN (a personal access token), or "
        + "CVAT_USERNAME and CVAT_PASSWORD"), noCredentials.output().lines().toList());
    Run badTask = annotate(Map.of("CVAT_ACCESS_TOKEN", "t"), "--url", "http://127.0.0.1:9", "--task", "-3");
    assertEquals(Annotation.REFUSED, badTask.status());
    assertTrue(badTask.output().startsWith("cvat:annotate: the task id must be a positive number"), badTask.output());
  }
}
