package io.cvatfunction.runtime.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvatfunction.runtime.Detector;
import io.cvatfunction.runtime.cvat.LabelSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One {@code cvat:annotate} run, behind both the Maven goal and the image's {@code annotate} command: checks the
 * server, the task and the labels before any work (each problem one line), loads the function, clears the task when
 * asked (once), annotates, and says what was done, or what was uploaded and how to resume.
 */
public final class Annotation {

  /** The run annotated every frame. */
  public static final int DONE = 0;
  /** The run stopped part way; what was uploaded stays, and the message says how to resume. */
  public static final int STOPPED = 1;
  /** The run could not start: wrong parameters, credentials, task or labels. */
  public static final int REFUSED = 2;

  /** The function, loaded when the task has been checked (a model takes seconds to load). */
  @FunctionalInterface
  public interface DetectorLoader {
    /** The loaded detector, and how many frames to run through it at once. */
    Loaded load() throws Exception;

    /**
     * The labels the function will answer with, read before it loads, so that a task they do not fit is refused
     * first ({@link Detector#labelSpecs(io.cvatfunction.runtime.HandlerOptions)}); empty when only the loaded
     * function can say.
     */
    default List<LabelSpec> labels() throws Exception {
      return List.of();
    }
  }

  /**
   * A loaded function.
   *
   * @param detector the function
   * @param framesInFlight frames annotated at once: enough that the model's passes form its batches
   */
  public record Loaded(Detector detector, int framesInFlight) {
    /** Validates the count. */
    public Loaded {
      if (framesInFlight < 1) {
        throw new IllegalArgumentException("frames in flight must be positive, got " + framesInFlight);
      }
    }
  }

  private Annotation() {}

  /**
   * Runs.
   *
   * @param confidenceAttribute the function's confidence attribute ({@code @CvatFunction(confidenceAttribute)}),
   *     which maps only when the task has it; empty for none
   * @param out where progress and the summary go; errors too, as one line starting {@code cvat:annotate:}
   * @return {@link #DONE}, {@link #STOPPED} or {@link #REFUSED}
   */
  public static int run(AnnotateRequest request, CvatCredentials credentials, DetectorLoader loader,
      String confidenceAttribute, PrintStream out) {
    return run(request, credentials, loader, confidenceAttribute, out, new AtomicBoolean());
  }

  /**
   * Runs until done, or until {@code stop} is set: then the upload under way finishes and is recorded, and the run
   * ends as {@link #STOPPED}, saying what was uploaded and how to resume.
   */
  public static int run(AnnotateRequest request, CvatCredentials credentials, DetectorLoader loader,
      String confidenceAttribute, PrintStream out, AtomicBoolean stop) {
    AnnotateListener listener = new ProgressPrinter(out);
    CvatClient client;
    TaskFrames task;
    List<JsonNode> taskLabels;
    Optional<ResumeFile> resume = Optional.empty();
    SortedSet<Integer> honeypots;
    Optional<LabelMapping> mappedEarly = Optional.empty();
    try {
      client = CvatClient.signIn(request.server(), request.org(), credentials, request.retry(), listener::warning);
      JsonNode taskJson = client.task(request.taskId());
      TaskFrames.checkAnnotatable(taskJson);
      JsonNode meta = client.dataMeta(request.taskId());
      if (request.dryRun().isEmpty() && request.resume().isPresent()) {
        resume = Optional.of(ResumeFile.open(request.resume().get(), request.server(), request.taskId()));
      }
      SortedSet<Integer> done = resume.map(ResumeFile::done).orElse(new TreeSet<>());
      // CVAT copies a honeypot task's validation frames' annotations onto its honeypots: those are left to it.
      honeypots = taskJson.path("validation_mode").asText("").equals("gt_pool")
          ? client.honeypotFrames(request.taskId()) : new TreeSet<>();
      SortedSet<Integer> skipped = new TreeSet<>(done);
      skipped.addAll(honeypots);
      task = TaskFrames.plan(taskJson, meta, request.frames(), skipped);
      taskLabels = client.labels(request.taskId());
      if (taskLabels.isEmpty()) {
        // CVAT lists only the labels within the organization asked for, while the task itself is judged by its own.
        throw new CvatException("task " + request.taskId() + " has no labels" + request.org().map(org -> " in the "
            + "organization '" + org + "': if the task is not in it, leave out -Dcvat.annotate.org / --org or name the "
            + "task's organization; otherwise").orElse(":") + " add the function's labels to the task or its project");
      }
      List<LabelSpec> declared;
      try {
        declared = loader.labels();
      } catch (Exception e) {
        out.println("cvat:annotate: the function failed to load: " + e.getMessage());
        return REFUSED;
      }
      if (!declared.isEmpty()) {
        mappedEarly = Optional.of(mapLabels(declared, taskLabels, request, confidenceAttribute, listener));
      }
      if (!done.isEmpty()) {
        out.println("resuming: frames " + FrameRanges.format(done) + " were uploaded by an earlier run ("
            + resume.get().path() + ")");
      }
    } catch (CvatException e) {
      out.println("cvat:annotate: " + e.getMessage());
      return REFUSED;
    }
    if (!honeypots.isEmpty()) {
      out.println("task " + task.taskId() + " checks its annotators with honeypots: its " + honeypots.size()
          + " honeypot frames are left to CVAT, which copies its validation frames' annotations onto them; what the "
          + "function uploads on the validation frames becomes the task's ground truth");
    }
    if (task.chunks().isEmpty()) {
      out.println("task " + task.taskId() + ": every frame asked for was already uploaded; nothing to do");
      completed(resume, out);
      return DONE;
    }
    out.println("task " + task.taskId() + " '" + task.name() + "': " + task.frameCount()
        + " frames to annotate; loading the function");
    Detector detector;
    int inFlight;
    TaskAnnotator.Result result;
    // The first chunks download while the model loads, which takes seconds on a GPU.
    try (ChunkFeed feed = new ChunkFeed(client, task, request.downloadThreads(), request.chunksAhead())) {
      try {
        Loaded loaded = loader.load();
        detector = loaded.detector();
        inFlight = loaded.framesInFlight();
      } catch (Exception e) {
        out.println("cvat:annotate: the function failed to load: " + e.getMessage());
        return REFUSED;
      }
      LabelMapping labels;
      try {
        if (mappedEarly.isPresent()) {
          labels = mappedEarly.get();
        } else {
          List<LabelSpec> specs = detector.labelSpecs();
          if (specs.isEmpty()) {
            throw new CvatException(detector.getClass().getName() + " does not declare its labels "
                + "(Detector.labelSpecs): extend YoloDetector, or implement labelSpecs()");
          }
          labels = mapLabels(specs, taskLabels, request, confidenceAttribute, listener);
        }
        boolean resuming = resume.isPresent() && !resume.get().done().isEmpty();
        if (request.clearExisting() && !resuming) {
          client.clear(request.taskId());
          out.println("cleared the existing annotations of task " + request.taskId());
        }
      } catch (CvatException e) {
        out.println("cvat:annotate: " + e.getMessage());
        return REFUSED;
      }
      float threshold = request.threshold().orElse(detector.defaultThreshold());
      out.println("annotating " + task.frameCount() + " frames (" + task.chunks().size() + " chunks of up to "
          + task.chunkSize() + " frames"
          + (task.skippedDeleted() > 0 ? ", " + task.skippedDeleted() + " deleted frames skipped" : "")
          + ") at threshold " + threshold + (request.dryRun().isPresent() ? ", dry run: nothing is uploaded" : ""));
      try {
        result = new TaskAnnotator(client, detector, labels, new TaskAnnotator.Settings(threshold, inFlight,
            request.dryRun()), listener).run(task, feed, resume, stop);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        out.println("cvat:annotate: interrupted");
        return STOPPED;
      }
    }
    summary(task, result, request, inFlight, out);
    if (result.failure().isPresent()) {
      stopped(task, result, request, resume, out);
      return STOPPED;
    }
    request.dryRun().ifPresent(file -> out.println("dry run: wrote CVAT's annotations to " + file
        + "; nothing was uploaded"));
    completed(resume, out);
    return DONE;
  }

  /** The function's labels matched with the task's; what is left out, when that is allowed, said once. */
  private static LabelMapping mapLabels(List<LabelSpec> specs, List<JsonNode> taskLabels, AnnotateRequest request,
      String confidenceAttribute, AnnotateListener listener) throws CvatException {
    LabelMapping labels = LabelMapping.match(specs, taskLabels, confidenceAttribute, request.allowUnmatchedLabels(),
        request.convMaskToPoly());
    labels.dropped().forEach(d -> listener.warning("the task has no " + d + ": its shapes or values are left out"));
    return labels;
  }

  private static void summary(TaskFrames task, TaskAnnotator.Result result, AnnotateRequest request, int inFlight,
      PrintStream out) {
    double seconds = result.wallNanos() / 1e9;
    out.println(String.format(Locale.ROOT, "annotated %d frames of task %d in %.1f s (%.1f frames/s): %d shapes%s",
        result.uploaded().size(), task.taskId(), seconds, result.uploaded().size() / Math.max(seconds, 1e-9),
        result.shapes(), result.perLabel().isEmpty() ? "" : " (" + result.perLabel().entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")"));
    out.println(String.format(Locale.ROOT, "time: download %.1f s (%d threads), function %.1f s (%d frames at once), "
        + "upload %.1f s; the function waited %.1f s for downloads", result.downloadNanos() / 1e9,
        request.downloadThreads(), result.detectNanos() / 1e9, inFlight, result.uploadNanos() / 1e9,
        result.starvedNanos() / 1e9));
  }

  private static void stopped(TaskFrames task, TaskAnnotator.Result result, AnnotateRequest request,
      Optional<ResumeFile> resume, PrintStream out) {
    out.println("cvat:annotate: stopped: " + result.failure().get().getMessage());
    SortedSet<Integer> left = new TreeSet<>(task.frames());
    left.removeAll(result.uploaded());
    left.removeAll(result.unconfirmed());
    out.println("uploaded in this run: " + (result.uploaded().isEmpty() ? "no frames"
        : "frames " + FrameRanges.format(result.uploaded())) + " (" + result.uploaded().size() + " of "
        + task.frameCount() + "); not annotated: " + FrameRanges.format(left));
    if (!result.unconfirmed().isEmpty()) {
      out.println("frames " + FrameRanges.format(result.unconfirmed()) + " were sent but CVAT's answer was lost: "
          + "CVAT may hold their annotations" + (resume.isPresent() ? " (the next run checks)"
              : "; look at them in CVAT before annotating them again"));
    }
    if (request.dryRun().isEmpty()) {
      out.println("to resume: "
          + resume.map(r -> "run the same command again (the resume file " + r.path() + " remembers what was "
              + "uploaded, and looks in CVAT for what was sent unanswered), or ").orElse("")
          + "annotate only what is left with -Dcvat.annotate.frames=" + FrameRanges.format(left)
          + " (--frames " + FrameRanges.format(left) + ")");
    }
  }

  private static void completed(Optional<ResumeFile> resume, PrintStream out) {
    if (resume.isPresent()) {
      try {
        resume.get().complete();
      } catch (IOException e) {
        out.println("WARNING cannot delete the resume file " + resume.get().path() + " (" + e.getMessage()
            + "): delete it before annotating this task again");
      }
    }
  }
}
