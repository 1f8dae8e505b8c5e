package io.cvatfunction.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An image unpacked with umoci and run as a container would be, without Docker: the entrypoint under
 * {@code chroot} with the image's user, environment and working directory, {@code /proc} mounted, and
 * Nuclio's processor.yaml where Nuclio mounts it.
 */
final class UnpackedImage implements AutoCloseable {

  private final Path rootfs;
  private final JsonNode process;
  private Process running;
  private boolean procMounted;

  private UnpackedImage(Path rootfs, JsonNode process) {
    this.rootfs = rootfs;
    this.process = process;
  }

  /** Copies {@code source} (a skopeo transport reference) to an OCI layout and unpacks it. */
  static UnpackedImage unpack(String source, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Commands.run(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", source, "oci:" + dir.resolve("oci") + ":image"));
    Commands.run(List.of("umoci", "unpack", "--image", dir.resolve("oci") + ":image", dir.resolve("bundle").toString()));
    JsonNode runtimeSpec = new ObjectMapper().readTree(dir.resolve("bundle/config.json").toFile());
    return new UnpackedImage(dir.resolve("bundle/rootfs"), runtimeSpec.get("process"));
  }

  Path rootfs() {
    return rootfs;
  }

  /** Writes Nuclio's function config where the local platform mounts it. */
  void processorConfig(String yaml) throws IOException {
    Path file = rootfs.resolve("etc/nuclio/config/processor/processor.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
  }

  /** Starts the entrypoint as the image's user, output to {@code log}. */
  void start(Path log) throws IOException, InterruptedException {
    running = entrypoint(Map.of(), List.of(), log);
  }

  /**
   * Runs the entrypoint with {@code args} after it and {@code env} added to the image's environment, as
   * {@code docker run -e ... IMAGE args} does, to its end.
   *
   * @return the exit status
   */
  int run(Map<String, String> env, List<String> args, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Process run = entrypoint(env, args, log);
    if (!run.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      run.destroyForcibly().waitFor();
      throw new IllegalStateException("the entrypoint ran past " + timeout + "; log:\n" + Files.readString(log));
    }
    return run.exitValue();
  }

  private Process entrypoint(Map<String, String> env, List<String> args, Path log)
      throws IOException, InterruptedException {
    if (!procMounted) {
      Commands.run(List.of("mount", "-t", "proc", "proc", rootfs.resolve("proc").toString()));
      procMounted = true;
    }
    List<String> command = new ArrayList<>(List.of("env", "-i"));
    process.get("env").forEach(e -> command.add(e.asText()));
    env.forEach((name, value) -> command.add(name + "=" + value));
    JsonNode user = process.get("user");
    command.addAll(List.of("/usr/sbin/chroot", "--userspec=" + user.get("uid").asInt() + ":" + user.get("gid").asInt(),
        rootfs.toString()));
    // chroot does not change the working directory: go there first, as the runtime would.
    command.addAll(List.of("/bin/bash", "-c", "cd \"$0\" && exec \"$@\"", process.get("cwd").asText()));
    process.get("args").forEach(a -> command.add(a.asText()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Runs the image's HEALTHCHECK test (a CMD array) inside the image; true when it exits 0. */
  boolean healthy(List<String> test) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("chroot", rootfs.toString()));
    command.addAll(test.subList(1, test.size()));
    Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
    probe.getInputStream().readAllBytes();
    return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
  }

  /** Sends SIGTERM and returns the exit status. */
  int stop() throws InterruptedException {
    running.destroy();
    if (!running.waitFor(60, TimeUnit.SECONDS)) {
      running.destroyForcibly().waitFor();
    }
    return running.exitValue();
  }

  boolean isRunning() {
    return running != null && running.isAlive();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (isRunning()) {
      stop();
    }
    if (procMounted) {
      Commands.run(List.of("umount", rootfs.resolve("proc").toString()));
    }
  }
}
