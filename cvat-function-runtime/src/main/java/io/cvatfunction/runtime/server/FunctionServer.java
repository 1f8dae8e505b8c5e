package io.cvatfunction.runtime.server;

import io.cvatfunction.runtime.CvatHandler;
import io.cvatfunction.runtime.DeviceFault;
import io.cvatfunction.runtime.annotate.AnnotateCommand;
import io.cvatfunction.runtime.cvat.Shape;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import sun.misc.Signal;

/**
 * A Nuclio-compatible function process: the HTTP trigger on {@code :8080}, health on {@code :8082}, one
 * handler (one model) shared by the workers. It listens at once, answers {@code /ready} with 503 while the
 * model loads, and stops gracefully: in-flight requests finish first. After a device fault ({@link DeviceFault}) it
 * answers 503 everywhere, {@code /live} included, and ends the process with {@link #DEVICE_FAULT_EXIT}.
 *
 * <p>Run it as {@code java -Dcvat.handler=com.example.MyDetector io.cvatfunction.runtime.server.FunctionServer};
 * see {@link ServerSettings} for the other settings.
 */
public final class FunctionServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FunctionServer.class);

  /** The process's exit status after a device fault, so that a restart policy starts a fresh one. */
  public static final int DEVICE_FAULT_EXIT = 3;

  /** How long the requests in flight get to be answered after a device fault: they fail fast or never return. */
  private static final Duration FAULT_DRAIN = Duration.ofSeconds(2);

  private final CvatHandler handler;
  private final ServerSettings settings;
  private final Readiness readiness = new Readiness();
  private final WorkerPool workers;
  private final Drain trigger;
  private final IdleMemory idleMemory = IdleMemory.start();
  private final Undertow undertow;
  private final Thread loader;
  private final IntConsumer exit;
  private final AtomicBoolean faulted = new AtomicBoolean();
  private volatile boolean closed;

  private FunctionServer(CvatHandler handler, ServerSettings settings, IntConsumer exit) {
    this.handler = handler;
    this.settings = settings;
    this.exit = exit;
    this.workers = new WorkerPool(settings.workers(), settings.workerAvailabilityTimeout(), settings.eventTimeout(),
        this::deviceFailed);
    this.trigger = new Drain(readiness, new TriggerEndpoint(handler, readiness, workers, settings, idleMemory));
    this.undertow = Undertow.builder()
        .addHttpListener(settings.port(), settings.host(), trigger)
        .addHttpListener(settings.healthPort(), settings.host(), new HealthEndpoint(readiness, handler))
        // I/O threads read request bodies (megabytes of base64 each): one per core, as Undertow's default.
        .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
        // Request threads read bodies and wait for workers; enough that waiting requests are never stuck behind reads.
        .setWorkerThreads(Math.max(32, settings.workers() * 4))
        // BodyReceiver bounds bodies itself and answers 413 past maxRequestBodySize; Undertow's own bound (2 MiB by
        // default since 2.3.2x) would close the connection of a larger chunked upload without an answer.
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
        .build();
    this.loader = new Thread(this::load, "model-loader");
  }

  /**
   * Starts listening and loads the handler in the background. After a device fault the server answers 503 and stays
   * up (the caller decides); {@link #main} ends the process instead.
   */
  public static FunctionServer start(CvatHandler handler, ServerSettings settings) {
    return start(handler, settings, status -> {});
  }

  /**
   * Starts listening and loads the handler in the background.
   *
   * @param exit called once with {@link #DEVICE_FAULT_EXIT}, on its own thread, after a device fault and its short
   *     drain
   */
  public static FunctionServer start(CvatHandler handler, ServerSettings settings, IntConsumer exit) {
    FunctionServer server = new FunctionServer(handler, settings, exit);
    server.undertow.start();
    LOG.atInfo()
        .addKeyValue("handler", handler.getClass().getName())
        .addKeyValue("port", server.port())
        .addKeyValue("healthPort", server.healthPort())
        .addKeyValue("workers", settings.workers())
        .addKeyValue("eventTimeoutMs", settings.eventTimeout().toMillis())
        .addKeyValue("maxRequestBodySize", settings.maxRequestBodySize())
        .log("listening");
    server.loader.start();
    return server;
  }

  private void load() {
    long start = System.nanoTime();
    try {
      handler.load(settings.handlerOptions());
      // So the first request does not pay for Jackson's serializer set-up.
      Responses.JSON.writeValueAsBytes(List.of(Shape.rectangle("warm-up", 0, 0, 1, 1, 1, List.of())));
      readiness.markReady();
      LoggingEventBuilder ready = LOG.atInfo().addKeyValue("loadMs", (System.nanoTime() - start) / 1_000_000);
      for (Map.Entry<String, Object> fact : handler.serving().entrySet()) {
        ready = ready.addKeyValue(fact.getKey(), fact.getValue());
      }
      ready.log("ready");
    } catch (Throwable e) {
      readiness.markFailed("the model failed to load: " + e.getMessage());
      LOG.error("the model failed to load; /ready stays 503 until the function is fixed", e);
    }
  }

  /**
   * The device cannot serve any more: from now on every probe and request gets 503 with the reason; the requests in
   * flight get a moment to be answered, then the process ends. Nothing is freed: a pass may still run on the device.
   */
  private void deviceFailed(DeviceFault fault) {
    if (!faulted.compareAndSet(false, true)) {
      return;
    }
    String reason = "the device failed (" + fault.getMessage() + "): the process exits with status "
        + DEVICE_FAULT_EXIT + " so that a fresh one starts";
    readiness.markFaulted(reason);
    LOG.error(reason, fault);
    Thread ending = new Thread(() -> {
      try {
        trigger.start(reason);
        trigger.awaitDrained(FAULT_DRAIN);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exit.accept(DEVICE_FAULT_EXIT);
    }, "device-fault-exit");
    ending.setDaemon(false);
    ending.start();
  }

  /** Waits until the model is loaded (true) or failed to load (false). */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return readiness.await(timeout);
  }

  /** The HTTP trigger's bound port (useful when configured as 0). */
  public int port() {
    return boundPort(0);
  }

  /** The health endpoint's bound port. */
  public int healthPort() {
    return boundPort(1);
  }

  /** The trigger's requests in flight: those whose headers have arrived and whose answer has not yet gone. */
  long requestsInFlight() {
    return trigger.inFlight();
  }

  private int boundPort(int listener) {
    List<Undertow.ListenerInfo> listeners = undertow.getListenerInfo();
    return ((InetSocketAddress) listeners.get(listener).getAddress()).getPort();
  }

  /**
   * Stops taking requests, lets in-flight ones finish (up to the read and event timeouts), then frees everything once
   * the workers have left native code (up to the pass timeout: past it, the model is left to the process's end).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    readiness.markStopping();
    trigger.start("the function is shutting down: send the request to another replica or retry once it is back");
    try {
      // An upload in flight may take its read timeout, then its request its event timeout.
      if (!trigger.awaitDrained(settings.readTimeout().plus(settings.eventTimeout()).plusSeconds(1))) {
        LOG.warn("{} requests were still in flight when the drain ended", trigger.inFlight());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    undertow.stop();
    idleMemory.close();
    loader.interrupt();
    boolean idle;
    try {
      idle = workers.close(settings.handlerOptions().passTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      idle = false;
    }
    if (faulted.get()) {
      LOG.warn("the device failed: the model's memory is left to the process's end");
    } else if (idle) {
      handler.close();
    } else {
      LOG.warn("a request is still inside the model: the model's memory is left to the process's end");
    }
    LOG.info("stopped");
  }

  /**
   * Starts the function named by {@code cvat.handler} / {@code CVAT_HANDLER} (or the first argument, or
   * {@code spec.handler} of Nuclio's processor.yaml) and serves until SIGTERM or SIGINT, then exits 0.
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("annotate")) { // the image's second use: annotate a CVAT task, no server
      ProcessLogging.console();
      System.exit(AnnotateCommand.run(List.of(args).subList(1, args.length), System.getenv(), () -> {
        UnaryOperator<String> lookup = ServerSettings.systemLookup();
        Class<?> handlerClass = handlerClass(lookup.apply("cvat.handler"));
        return new AnnotateCommand.Handler(handlerClass, ServerSettings.resolve(handlerClass, ProcessorConfig.empty(),
            lookup).handlerOptions(), lookup.apply("cvat.workers") != null || lookup.apply("cvat.batch") != null);
      }, System.out));
    }
    ProcessLogging.json();
    NativeStderr.capture();
    CvatHandler handler;
    ServerSettings settings;
    try {
      ProcessorConfig nuclio = ProcessorConfig.read(Optional.ofNullable(ServerSettings.systemLookup().apply("cvat.processorConfig"))
          .map(Path::of).orElse(ProcessorConfig.NUCLIO_PATH));
      String handlerName = args.length > 0 ? args[0]
          : Optional.ofNullable(ServerSettings.systemLookup().apply("cvat.handler"))
              .or(nuclio::handler)
              .orElse(null);
      Class<?> handlerClass = handlerClass(handlerName);
      settings = ServerSettings.resolve(handlerClass, nuclio, ServerSettings.systemLookup());
      handler = (CvatHandler) handlerClass.getDeclaredConstructor().newInstance();
    } catch (IOException | IllegalArgumentException e) {
      LOG.error("cannot start: {}", e.getMessage());
      System.exit(2);
      return;
    }
    // halt, not exit: shutdown hooks would free native memory that a hung pass may still use.
    FunctionServer server = start(handler, settings, status -> Runtime.getRuntime().halt(status));
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(new Signal(name), signal -> {
        LOG.info("SIG{} received: finishing in-flight requests", name);
        // Signal handlers run on a daemon thread: once close() stops Undertow's threads the JVM would end in
        // the middle of close(). A non-daemon thread keeps it alive until close() is done and exit(0) runs.
        Thread stopper = new Thread(() -> {
          server.close();
          System.exit(0);
        }, "shutdown");
        stopper.setDaemon(false);
        stopper.start();
      });
    }
  }

  private static Class<?> handlerClass(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("no handler class: set -Dcvat.handler=<class> or CVAT_HANDLER");
    }
    // Nuclio's Java runtime takes the part after ':' of "module:Class".
    String className = name.contains(":") ? name.substring(name.indexOf(':') + 1) : name;
    Class<?> type;
    try {
      type = Class.forName(className.trim());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("the handler class " + className + " is not on the classpath");
    }
    if (!CvatHandler.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("the handler class " + className + " does not implement "
          + CvatHandler.class.getName() + ": extend YoloDetector");
    }
    return type;
  }
}
