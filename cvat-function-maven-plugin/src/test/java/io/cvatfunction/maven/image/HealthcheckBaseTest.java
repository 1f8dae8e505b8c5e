package io.cvatfunction.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthcheckBaseTest {

  private static void write(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(data.length);
    tar.putArchiveEntry(entry);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  /** A minimal docker save archive with one (fake) layer and a config that has an Env. */
  private static Path archive(Path dir) throws IOException {
    Path file = dir.resolve("base.tar");
    try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      write(tar, "abc.json", "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"]},\"rootfs\":{}}"
          .getBytes(StandardCharsets.UTF_8));
      write(tar, "layer.tar", "not really a layer".getBytes(StandardCharsets.UTF_8));
      write(tar, "manifest.json", "[{\"Config\":\"abc.json\",\"RepoTags\":[\"x:y\"],\"Layers\":[\"layer.tar\"]}]"
          .getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  private static Map<String, byte[]> read(Path tar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream archive = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = archive.getNextEntry()) != null) {
        entries.put(entry.getName(), archive.readAllBytes());
      }
    }
    return entries;
  }

  @Test
  void addsTheHealthcheckAndKeepsEverythingElse(@TempDir Path dir) throws IOException {
    Path base = archive(dir);
    Path derived = HealthcheckBase.derive(base, dir.resolve("cache"), Duration.ofMinutes(5));
    Map<String, byte[]> entries = read(derived);
    assertEquals(List.of("abc.json", "layer.tar", "manifest.json"), new ArrayList<>(entries.keySet()));
    assertEquals("not really a layer", new String(entries.get("layer.tar"), StandardCharsets.UTF_8));
    JsonNode config = new ObjectMapper().readTree(entries.get("abc.json"));
    assertEquals("PATH=/bin", config.get("config").get("Env").get(0).asText());
    JsonNode healthcheck = config.get("config").get("Healthcheck");
    assertEquals("CMD", healthcheck.get("Test").get(0).asText());
    assertEquals(2_000_000_000L, healthcheck.get("Interval").asLong());
    assertEquals(3, healthcheck.get("Retries").asInt());
    assertEquals(3_000_000_000L, healthcheck.get("Timeout").asLong());
    assertEquals(300_000_000_000L, healthcheck.get("StartPeriod").asLong(), "Docker shows starting while the model loads");
    assertEquals(derived, HealthcheckBase.derive(base, dir.resolve("cache"), Duration.ofMinutes(5)), "cached");
    assertTrue(HealthcheckBase.configDigest(base).matches("sha256:[0-9a-f]{64}"));
  }

  @Test
  void anotherStartPeriodIsAnotherBase(@TempDir Path dir) throws IOException {
    Path base = archive(dir);
    Path fiveMinutes = HealthcheckBase.derive(base, dir.resolve("cache"), Duration.ofMinutes(5));
    Path tenMinutes = HealthcheckBase.derive(base, dir.resolve("cache"), Duration.ofMinutes(10));
    assertNotEquals(fiveMinutes, tenMinutes, "the cache tells them apart");
    JsonNode config = new ObjectMapper().readTree(read(tenMinutes).get("abc.json"));
    assertEquals(600_000_000_000L, config.get("config").get("Healthcheck").get("StartPeriod").asLong());
    JsonNode first = new ObjectMapper().readTree(read(fiveMinutes).get("abc.json"));
    assertEquals(300_000_000_000L, first.get("config").get("Healthcheck").get("StartPeriod").asLong());
  }

  @Test
  void theProbeIsHealthyOnlyWhileReadyAnswers200() throws Exception {
    AtomicInteger status = new AtomicInteger(503);
    // The probe's own script, pointed at a free port instead of 8082, which a running function may hold.
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ready", exchange -> {
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    server.start();
    int port = server.getAddress().getPort();
    try {
      assertFalse(probe(port), "503 is not healthy");
      status.set(200);
      assertTrue(probe(port), "200 is healthy");
    } finally {
      server.stop(0);
    }
    assertFalse(probe(port), "nothing listening is not healthy");
  }

  /** Runs the HEALTHCHECK's command (after "CMD") as Docker would. */
  private static boolean probe(int port) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(HealthcheckBase.TEST.subList(1, HealthcheckBase.TEST.size()));
    assertTrue(command.get(2).contains("/dev/tcp/127.0.0.1/8082"));
    command.set(2, command.get(2).replace("/8082", "/" + port));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor() == 0;
  }
}
