package io.cvatfunction.runtime.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.runtime.BadRequestException;
import io.cvatfunction.runtime.Detector;
import io.cvatfunction.runtime.DeviceFault;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.cvat.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Annotates a planned task with a loaded detector: chunks come from a {@link ChunkFeed} (downloaded ahead), each
 * frame goes through {@link Detector#detect} on one of {@code inFlight} threads (several at once, so the model's
 * forward batcher forms batches as it does for the server's workers), and each chunk's shapes are uploaded by one
 * upload thread, in order, as one atomic {@code PATCH action=create}, then recorded in the resume file. The feed
 * and the uploads run beside the model, so the model waits for neither while there is work ahead.
 */
public final class TaskAnnotator {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How to run.
   *
   * @param threshold the confidence threshold handed to the detector
   * @param inFlight frames annotated at once
   * @param dryRun where to write the annotations instead of uploading them, if so
   */
  public record Settings(float threshold, int inFlight, Optional<Path> dryRun) {
    /** Validates the values. */
    public Settings {
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
      }
      if (inFlight < 1) {
        throw new IllegalArgumentException("inFlight must be positive, got " + inFlight);
      }
    }
  }

  /**
   * What a run did.
   *
   * @param uploaded frames whose annotations CVAT accepted (or the dry run wrote) in this run
   * @param unconfirmed frames whose annotations were sent but whose answer was lost: CVAT may hold them
   * @param shapes shapes and tags uploaded
   * @param perLabel shapes and tags by label
   * @param failure why the run stopped early, or empty when it annotated every frame
   * @param wallNanos the run's time
   * @param downloadNanos time spent downloading and unpacking chunks, summed over download threads
   * @param detectNanos time spent in the detector, summed over frames
   * @param uploadNanos time spent uploading
   * @param starvedNanos time the model had no downloaded frame to work on
   */
  public record Result(SortedSet<Integer> uploaded, SortedSet<Integer> unconfirmed, int shapes, Map<String, Integer> perLabel,
      Optional<CvatException> failure, long wallNanos, long downloadNanos, long detectNanos, long uploadNanos,
      long starvedNanos) {}

  private final CvatClient client;
  private final Detector detector;
  private final LabelMapping labels;
  private final Settings settings;
  private final AnnotateListener listener;

  public TaskAnnotator(CvatClient client, Detector detector, LabelMapping labels, Settings settings,
      AnnotateListener listener) {
    this.client = client;
    this.detector = detector;
    this.labels = labels;
    this.settings = settings;
    this.listener = listener;
  }

  /**
   * Annotates the planned frames.
   *
   * @param feed the task's chunks, downloading already; the caller closes it
   * @param resume where uploaded frames are recorded; empty in a dry run
   * @param stop set to stop early (SIGTERM, Ctrl+C): an upload under way finishes and is recorded, no other starts
   */
  public Result run(TaskFrames task, ChunkFeed feed, Optional<ResumeFile> resume, AtomicBoolean stop)
      throws InterruptedException {
    long start = System.nanoTime();
    AtomicReference<CvatException> failure = new AtomicReference<>();
    SortedSet<Integer> uploaded = new TreeSet<>();
    SortedSet<Integer> unconfirmed = Collections.synchronizedSortedSet(new TreeSet<>());
    Map<String, Integer> perLabel = new TreeMap<>();
    AtomicInteger shapes = new AtomicInteger();
    AtomicLong detectNanos = new AtomicLong();
    AtomicLong uploadNanos = new AtomicLong();
    long starved = 0;
    AnnotationBody dryRunBody = settings.dryRun().isPresent() ? new AnnotationBody(labels) : null;
    AtomicInteger ids = new AtomicInteger();
    ThreadPoolExecutor frames = (ThreadPoolExecutor) Executors.newFixedThreadPool(settings.inFlight(),
        r -> daemon(r, "cvat-annotate-" + ids.incrementAndGet()));
    long downloadNanos = 0;
    ExecutorService uploads = Executors.newSingleThreadExecutor(r -> daemon(r, "cvat-upload"));
    try {
      while (failure.get() == null) {
        // Waiting for a chunk while no frame is queued leaves the model idle: the run is bound by downloads then.
        boolean modelWillIdle = frames.getQueue().isEmpty();
        long waitStart = System.nanoTime();
        ChunkFeed.Chunk chunk;
        try {
          chunk = feed.next(stop::get);
        } catch (CvatException e) {
          failure.compareAndSet(null, e);
          break;
        }
        if (modelWillIdle) {
          starved += System.nanoTime() - waitStart;
        }
        if (chunk == null) {
          if (stop.get()) {
            failure.compareAndSet(null, new CvatException("interrupted"));
          }
          break;
        }
        List<CompletableFuture<List<Shape>>> answers = new ArrayList<>(chunk.plan().frames().size());
        for (int frame : chunk.plan().frames()) {
          byte[] file = chunk.frames().get(frame);
          answers.add(CompletableFuture.supplyAsync(() -> detect(task, frame, file, detectNanos), frames));
        }
        uploads.execute(() -> {
          try {
            if (failure.get() != null) {
              return;
            }
            if (stop.get()) {
              failure.compareAndSet(null, new CvatException("interrupted"));
              return;
            }
            AnnotationBody body = dryRunBody != null ? dryRunBody : new AnnotationBody(labels);
            int before = body.count();
            Map<String, Integer> labelsBefore = new TreeMap<>(body.perLabel());
            List<Integer> planned = chunk.plan().frames();
            for (int i = 0; i < planned.size(); i++) {
              body.add(planned.get(i), join(answers.get(i)));
            }
            if (dryRunBody == null) {
              long uploadStart = System.nanoTime();
              upload(task.taskId(), planned, chunk.plan().index(), body, resume);
              uploadNanos.addAndGet(System.nanoTime() - uploadStart);
              resume.ifPresent(file -> file.uploaded(planned));
            }
            synchronized (uploaded) {
              uploaded.addAll(planned);
              body.perLabel().forEach((label, n) -> perLabel.merge(label, n - labelsBefore.getOrDefault(label, 0),
                  Integer::sum));
            }
            int total = shapes.addAndGet(body.count() - before);
            listener.progress(uploaded.size(), task.frameCount(), total, System.nanoTime() - start);
          } catch (UnconfirmedWriteException e) {
            unconfirmed.addAll(chunk.plan().frames());
            failure.compareAndSet(null, e);
          } catch (CvatException e) {
            failure.compareAndSet(null, e);
          } catch (RuntimeException e) {
            failure.compareAndSet(null, new CvatException(e.getMessage() == null ? e.toString() : e.getMessage(), e));
          } finally {
            feed.release();
          }
        });
      }
      uploads.shutdown();
      uploads.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
      downloadNanos = feed.downloadNanos();
    } finally {
      uploads.shutdownNow();
      frames.shutdownNow();
    }
    if (dryRunBody != null && failure.get() == null) {
      try {
        Path file = settings.dryRun().get();
        if (file.getParent() != null) {
          Files.createDirectories(file.getParent());
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), dryRunBody.tree());
      } catch (IOException e) {
        failure.set(new CvatException("cannot write the dry run's annotations to " + settings.dryRun().get() + ": "
            + e.getMessage(), e));
      }
    }
    return new Result(uploaded, unconfirmed, shapes.get(), perLabel, Optional.ofNullable(failure.get()),
        System.nanoTime() - start, downloadNanos, detectNanos.get(), uploadNanos.get(), starved);
  }

  /**
   * Uploads a chunk's annotations, unless an earlier run sent them and CVAT has them as they were sent: that run
   * ended before it heard CVAT's answer.
   */
  private void upload(int taskId, List<Integer> frames, int chunk, AnnotationBody body, Optional<ResumeFile> resume)
      throws CvatException {
    SortedSet<Integer> frameSet = new TreeSet<>(frames);
    String which = "frames " + FrameRanges.format(frameSet) + " (chunk " + chunk + ")";
    if (resume.isPresent() && resume.get().mayHaveLanded(frames)) {
      JsonNode sent = resume.get().sentEarlier(frames).flatMap(TaskAnnotator::parse).orElse(body.tree());
      if (StoredAnnotations.hold(client.annotations(taskId, frameSet), sent)) {
        listener.warning("the annotations of " + which + " reached CVAT in the run that stopped while sending them: "
            + "not sent again");
        return;
      }
    }
    byte[] bytes = body.bytes();
    resume.ifPresent(file -> file.sending(frames, bytes));
    client.create(taskId, frameSet, bytes, "upload the annotations of " + which,
        stored -> StoredAnnotations.hold(stored, body.tree()));
  }

  private static Optional<JsonNode> parse(byte[] json) {
    try {
      return Optional.of(JSON.readTree(json));
    } catch (IOException e) {
      return Optional.empty(); // a body cut short by the end of that run: ask about this run's
    }
  }

  private List<Shape> detect(TaskFrames task, int frame, byte[] file, AtomicLong detectNanos) {
    long start = System.nanoTime();
    try {
      return detector.detect(file, settings.threshold(), new RequestTrace());
    } catch (BadRequestException e) {
      String name = frame < task.frameNames().size() ? " (" + task.frameNames().get(frame) + ")" : "";
      throw new CompletionException(new CvatException("frame " + frame + name + " could not be annotated: "
          + e.getMessage()));
    } finally {
      detectNanos.addAndGet(System.nanoTime() - start);
    }
  }

  private static List<Shape> join(CompletableFuture<List<Shape>> answer) throws CvatException {
    try {
      return answer.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CvatException cvat) {
        throw cvat;
      }
      if (e.getCause() instanceof DeviceFault fault) {
        throw new CvatException("the device failed: " + fault.getMessage(), fault);
      }
      throw new CvatException("the function failed: " + e.getCause(), e.getCause());
    }
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
