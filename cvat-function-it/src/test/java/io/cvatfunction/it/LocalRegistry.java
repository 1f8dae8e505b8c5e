package io.cvatfunction.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Debian's docker-registry (distribution 2.8) on a free loopback port, storing into a temporary directory. */
final class LocalRegistry implements AutoCloseable {

  final int port;
  private final Process process;

  private LocalRegistry(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  static LocalRegistry start(Path dir) throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Files.createDirectories(dir);
    Path config = dir.resolve("config.yml");
    Files.writeString(config, """
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
        """.formatted(dir.resolve("storage"), port));
    Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    LocalRegistry registry = new LocalRegistry(port, process);
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return registry;
        }
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    registry.close();
    throw new IllegalStateException("docker-registry did not start; see " + dir.resolve("registry.log"));
  }

  String host() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
