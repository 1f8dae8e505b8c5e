package io.cvatfunction.maven.run;

import io.cvatfunction.contract.ServerMain;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The function server in a JVM of its own, with the project's runtime classpath: the same main class the
 * image runs, so {@code cvat:run} behaves as the deployed function does.
 */
public final class FunctionProcess implements AutoCloseable {

  private final Process process;
  private final Options options;

  /**
   * What to start.
   *
   * @param javaExecutable the {@code java} to run
   * @param classpath the project's runtime classpath
   * @param handlerClass the function class
   * @param port the HTTP trigger's port
   * @param healthPort the health port
   * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
   * @param model a model reference overriding the annotation's, if any
   * @param jvmArgs extra JVM arguments
   */
  public record Options(
      Path javaExecutable, List<String> classpath, String handlerClass, int port, int healthPort,
      String device, Optional<String> model, List<String> jvmArgs) {

    /** The full command line. */
    public List<String> command() {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("cvat.handler", handlerClass);
      properties.put("cvat.port", Integer.toString(port));
      properties.put("cvat.healthPort", Integer.toString(healthPort));
      properties.put("cvat.device", device);
      model.ifPresent(m -> properties.put("cvat.model", m));
      return ServerMain.command(javaExecutable.toString(), jvmArgs, properties,
          String.join(File.pathSeparator, classpath));
    }
  }

  private FunctionProcess(Process process, Options options) {
    this.process = process;
    this.options = options;
  }

  /** Starts the server; its output goes to this process's console. */
  public static FunctionProcess start(Options options) throws IOException {
    Process process = new ProcessBuilder(options.command()).inheritIO().start();
    return new FunctionProcess(process, options);
  }

  /**
   * Polls {@code /ready} until it answers 200.
   *
   * @return true when ready; false when the process exited or the timeout passed
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + options.healthPort() + "/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return true;
        }
      } catch (IOException notListeningYet) {
        // the JVM is still starting
      }
      Thread.sleep(200);
    }
    return false;
  }

  /**
   * Serves until the server exits: says where it listens and, once it is ready, how to try it; stops the server
   * when this JVM is stopped (Ctrl+C).
   *
   * @param log where the lines for the user go
   * @return the server's exit status
   */
  public int serve(Consumer<String> log) throws InterruptedException {
    Thread stopper = new Thread(() -> {
      try {
        close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "cvat-run-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      String url = "http://localhost:" + options.port();
      log.accept("Serving " + options.handlerClass() + " on " + url + " (health: http://localhost:"
          + options.healthPort() + "/ready); loading the model...");
      if (awaitReady(Duration.ofMinutes(5))) {
        log.accept("Ready. Try it:");
        log.accept("  mvn cvat:invoke -Dcvat.invoke.url=" + url + " -Dcvat.invoke.image=frame.jpg");
        log.accept("  or: (printf '{\"image\": \"'; base64 -w0 frame.jpg; printf '\"}') | curl -s -X POST " + url
            + " -H 'Content-Type: application/json' --data-binary @-");
        log.accept("Press Ctrl+C to stop.");
      }
      return waitFor();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running
      }
    }
  }

  /** Waits until the server exits and returns its exit status. */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /** Asks the server to stop (SIGTERM: in-flight requests finish) and waits up to 30 s before killing it. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** The exit status, once exited. */
  public int exitValue() {
    return process.exitValue();
  }
}
