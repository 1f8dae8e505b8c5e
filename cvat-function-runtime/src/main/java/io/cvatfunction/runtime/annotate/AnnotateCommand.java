package io.cvatfunction.runtime.annotate;

import io.cvatfunction.runtime.Detector;
import io.cvatfunction.runtime.FunctionAnnotation;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.cvat.LabelSpec;
import io.cvatfunction.runtime.yolo.Devices;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The image's {@code annotate} command (and what {@code cvat:annotate} runs in its own JVM):
 * {@code annotate --url URL --task ID [--frames a-b] [--threshold T] [--clear-existing] [--allow-unmatched-labels]
 * [--conv-mask-to-poly] [--org SLUG] [--dry-run FILE] [--resume FILE] [--download-threads N] [--chunks-ahead N]}.
 * Credentials come from the environment only ({@code CVAT_ACCESS_TOKEN}, or {@code CVAT_USERNAME} and
 * {@code CVAT_PASSWORD}); the function is the server's ({@code CVAT_HANDLER} / {@code cvat.handler}), loaded with
 * the server's settings ({@code CVAT_DEVICE}, {@code CVAT_WORKERS}, ...), so a frame gets the same shapes either way.
 */
public final class AnnotateCommand {

  /** How to call it, for messages. */
  public static final String USAGE = "annotate --url https://cvat.example.com --task 42 [--frames 0-99] "
      + "[--threshold 0.5] [--clear-existing] [--allow-unmatched-labels] [--conv-mask-to-poly] [--org SLUG] "
      + "[--dry-run FILE] [--resume FILE] [--download-threads 4] [--chunks-ahead 6]; credentials from "
      + "CVAT_ACCESS_TOKEN, or CVAT_USERNAME and CVAT_PASSWORD";

  private static final Set<String> FLAGS = Set.of("--clear-existing", "--allow-unmatched-labels",
      "--conv-mask-to-poly");
  private static final Set<String> VALUES = Set.of("--url", "--task", "--frames", "--threshold", "--org", "--dry-run",
      "--resume", "--download-threads", "--chunks-ahead");

  private AnnotateCommand() {}

  /** Finds the handler the server would serve, with the server's options. */
  @FunctionalInterface
  public interface HandlerFactory {
    /**
     * The handler.
     *
     * @throws IllegalArgumentException when no usable handler is configured
     */
    Handler resolve();
  }

  /**
   * A handler to run.
   *
   * @param type its class
   * @param options the server's options for it
   * @param concurrencyGiven whether {@code cvat.workers} or {@code cvat.batch} was set, which annotate then keeps
   */
  public record Handler(Class<?> type, HandlerOptions options, boolean concurrencyGiven) {}

  /**
   * How annotate runs a function: its load options and the frames in flight.
   *
   * @param options the options it loads with
   * @param framesInFlight frames annotated at once
   */
  public record Concurrency(HandlerOptions options, int framesInFlight) {}

  /**
   * Annotate's concurrency. The server's workers answer CVAT's users; annotate has a task to get through. On a GPU,
   * unless {@code cvat.workers} or {@code cvat.batch} says otherwise, the model's passes take batches of up to
   * {@link HandlerOptions#DEFAULT_GPU_BATCH} frames (batched passes give the same shapes within the parity
   * tolerance, as {@code BatchedRequestsTest} checks); the frames in flight are twice a pass's batch, so that one
   * batch forms while the other runs: 2 on the CPU, where more frames at once measured slower on 2 cores.
   */
  public static Concurrency concurrency(HandlerOptions options, boolean given, boolean gpu) {
    HandlerOptions chosen = options;
    if (gpu && !given && options.workers() < HandlerOptions.DEFAULT_GPU_BATCH) {
      chosen = new HandlerOptions(options.device(), options.modelOverride(), options.maxImagePixels(),
          options.decoder(), HandlerOptions.DEFAULT_GPU_BATCH, options.batch(), options.passTimeout());
    }
    return new Concurrency(chosen, 2 * chosen.maxBatch(gpu));
  }

  /**
   * Runs the command.
   *
   * @param args the arguments after {@code annotate}
   * @param env the environment, for the credentials
   * @param handlers the handler to run
   * @param out progress, the summary and errors
   * @return the exit status: {@link Annotation#DONE}, {@link Annotation#STOPPED} or {@link Annotation#REFUSED}
   */
  public static int run(List<String> args, Map<String, String> env, HandlerFactory handlers, PrintStream out) {
    AnnotateRequest request;
    CvatCredentials credentials;
    Handler handler;
    try {
      request = parse(args);
      credentials = CvatCredentials.fromEnvironment(env).orElseThrow(() -> new IllegalArgumentException(
          "no CVAT credentials: set CVAT_ACCESS_TOKEN (a personal access token), or CVAT_USERNAME and CVAT_PASSWORD"));
      handler = handlers.resolve();
      if (!Detector.class.isAssignableFrom(handler.type())) {
        throw new IllegalArgumentException(handler.type().getName() + " is not a detector: cvat:annotate runs "
            + "detectors (functions extending YoloDetector)");
      }
    } catch (IllegalArgumentException e) {
      out.println("cvat:annotate: " + e.getMessage());
      return Annotation.REFUSED;
    }
    FunctionLoader loader = new FunctionLoader(handler);
    // SIGTERM or Ctrl+C: the upload under way finishes and is recorded in the resume file before the JVM ends, so
    // that no chunk CVAT has accepted is uploaded again by the next run.
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread stopper = new Thread(() -> {
      stop.set(true);
      try {
        finished.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "cvat-annotate-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      return Annotation.run(request, credentials, loader, FunctionAnnotation.of(handler.type()).confidenceAttribute(),
          out, stop);
    } finally {
      finished.countDown();
      if (!stop.get()) { // when stopping, the JVM is ending: it frees the model
        try {
          Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException shuttingDown) {
          // a signal came just now; the hook finds the run finished
        }
        loader.close();
      }
    }
  }

  /**
   * The handler's detector, made once: its labels are read before it loads, then it loads with annotate's
   * concurrency.
   */
  private static final class FunctionLoader implements Annotation.DetectorLoader {
    private final Handler handler;
    private Detector detector;
    private boolean loading;

    FunctionLoader(Handler handler) {
      this.handler = handler;
    }

    @Override
    public List<LabelSpec> labels() throws Exception {
      return detector().labelSpecs(handler.options());
    }

    @Override
    public Annotation.Loaded load() throws Exception {
      Concurrency concurrency = concurrency(handler.options(), handler.concurrencyGiven(),
          Devices.select(handler.options().device()).isGpu());
      Detector made = detector();
      loading = true;
      made.load(concurrency.options());
      return new Annotation.Loaded(made, concurrency.framesInFlight());
    }

    private Detector detector() throws ReflectiveOperationException {
      if (detector == null) {
        detector = (Detector) handler.type().getDeclaredConstructor().newInstance();
      }
      return detector;
    }

    /** Frees what loading took, if it began. */
    void close() {
      if (loading) {
        detector.close();
      }
    }
  }

  /**
   * The request the arguments give.
   *
   * @throws IllegalArgumentException naming the argument that is wrong, and the usage
   */
  static AnnotateRequest parse(List<String> args) {
    Map<String, String> values = new HashMap<>();
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (FLAGS.contains(arg)) {
        flags.add(arg);
      } else if (VALUES.contains(name)) {
        String value;
        if (arg.contains("=")) {
          value = arg.substring(arg.indexOf('=') + 1);
        } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          value = args.get(++i);
        } else {
          throw new IllegalArgumentException(name + " needs a value. Usage: " + USAGE);
        }
        if (values.put(name, value) != null) {
          throw new IllegalArgumentException(name + " is given twice. Usage: " + USAGE);
        }
      } else {
        throw new IllegalArgumentException("unknown argument '" + arg + "'. Usage: " + USAGE);
      }
    }
    String url = Optional.ofNullable(values.get("--url")).orElseThrow(
        () -> new IllegalArgumentException("--url is missing: give CVAT's address. Usage: " + USAGE));
    String task = Optional.ofNullable(values.get("--task")).orElseThrow(
        () -> new IllegalArgumentException("--task is missing: give the task's id. Usage: " + USAGE));
    Optional<SortedSet<Integer>> frames = Optional.ofNullable(values.get("--frames")).map(FrameRanges::parse);
    int downloadThreads = integer(values, "--download-threads", AnnotateRequest.DEFAULT_DOWNLOAD_THREADS);
    return new AnnotateRequest(uri(url), integer(task, "--task"), frames,
        Optional.ofNullable(values.get("--threshold")).map(AnnotateCommand::threshold),
        flags.contains("--clear-existing"), flags.contains("--allow-unmatched-labels"),
        flags.contains("--conv-mask-to-poly"), Optional.ofNullable(values.get("--org")).filter(o -> !o.isBlank()),
        Optional.ofNullable(values.get("--dry-run")).map(Path::of),
        Optional.ofNullable(values.get("--resume")).map(Path::of), downloadThreads,
        integer(values, "--chunks-ahead", Math.max(AnnotateRequest.DEFAULT_CHUNKS_AHEAD, downloadThreads)),
        Retry.DEFAULT);
  }

  private static URI uri(String url) {
    try {
      return new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--url '" + url + "' is not a URL: give e.g. https://cvat.example.com");
    }
  }

  private static float threshold(String text) {
    try {
      return Float.parseFloat(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--threshold must be a number in [0, 1], got '" + text + "'");
    }
  }

  private static int integer(Map<String, String> values, String name, int fallback) {
    return values.containsKey(name) ? integer(values.get(name), name) : fallback;
  }

  private static int integer(String text, String name) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
    }
  }
}
