package io.cvatfunction.maven.nuclio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nuctl command lines, how they are shown, its version and where it is found. */
class NuctlTest {

  @TempDir
  Path dir;

  @Test
  void buildsCommandsWithAnExplicitPlatform() {
    Nuctl local = new Nuctl("nuctl", "local", null, new Redactor());
    assertEquals(List.of("nuctl", "get", "function", "f", "--platform", "local", "-o", "json"), local.getFunction("f"));
    assertEquals(List.of("nuctl", "delete", "function", "f", "--platform", "local", "--force"),
        local.deleteFunction("f"));
    Nuctl kube = new Nuctl("nuctl", "kube", "nuclio", new Redactor());
    assertEquals(List.of("nuctl", "create", "project", "cvat", "--platform", "kube", "--namespace", "nuclio"),
        kube.createProject("cvat"));
  }

  @Test
  void showsCommandsAsAShellWouldNeedThem() {
    Nuctl nuctl = new Nuctl("/opt/nuclio/nuctl", "local", null, new Redactor());
    assertEquals("/opt/nuclio/nuctl deploy f --platform-config '{\"attributes\":{\"network\":\"cvat_cvat\"}}' "
            + "--desc 'it'\\''s' --file '/tmp/my dir/function.yaml' --empty ''",
        nuctl.display(List.of("/opt/nuclio/nuctl", "deploy", "f", "--platform-config",
            "{\"attributes\":{\"network\":\"cvat_cvat\"}}", "--desc", "it's", "--file", "/tmp/my dir/function.yaml",
            "--empty", "")));
  }

  @Test
  void readsTheVersionNuctlPrints() {
    String output = "Client version:\n\"Label: 1.15.9, Git commit: 4f1c3e7a2b, OS: linux, Arch: amd64, "
        + "Go version: go1.21.13\"\n";
    assertEquals(Optional.of("1.15.9"), Nuctl.parseVersion(output));
    assertEquals(Optional.empty(), Nuctl.parseVersion("nuctl: command not understood"));
    assertEquals("1.15.9", Nuctl.normalizeVersion("v1.15.9-amd64"));
    assertEquals("1.13.0", Nuctl.normalizeVersion("1.13.0"));
  }

  @Test
  void findsNuctlOnThePathOrSaysHowToGetIt() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path nuctl = Files.writeString(bin.resolve("nuctl"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(nuctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals(nuctl, Nuctl.resolve("nuctl", "/nonexistent:" + bin));
    assertEquals(nuctl, Nuctl.resolve(nuctl.toString(), null));

    Path notExecutable = Files.writeString(bin.resolve("nuctl-1.15.9"), "");
    assertTrue(assertThrows(NuclioException.class, () -> Nuctl.resolve(notExecutable.toString(), null)).getMessage()
        .endsWith("is not executable: chmod +x " + notExecutable));
    assertTrue(assertThrows(NuclioException.class, () -> Nuctl.resolve(bin + "/missing", null)).getMessage()
        .startsWith("cvat.deploy.nuctl: " + bin + "/missing does not exist: install nuctl"));
    assertTrue(assertThrows(NuclioException.class, () -> Nuctl.resolve("nuctl", "/nonexistent")).getMessage()
        .startsWith("'nuctl' is not on PATH (/nonexistent): install nuctl of the same version as CVAT's Nuclio "
            + "dashboard"));
  }

  @Test
  void runsWithoutAShellAndKeepsBothStreams() throws Exception {
    Nuctl nuctl = new Nuctl("sh", "local", null, new Redactor());
    // ';' and '$(...)' reach the program as plain text: no shell splits or expands the arguments
    NuctlProcess.Result result = nuctl.run(List.of("/bin/sh", "-c", "echo out \"$1\"; echo err >&2; exit 4", "sh",
        "a;b $(id)"), Duration.ofSeconds(30), line -> { });
    assertEquals(4, result.exitCode());
    assertEquals("out a;b $(id)\n", result.stdout());
    assertEquals("err\n", result.stderr());
    assertEquals("err", result.headline());
  }

  @Test
  void stopsACommandThatRunsTooLong() {
    Nuctl nuctl = new Nuctl("sleep", "local", null, new Redactor());
    long start = System.nanoTime();
    NuctlProcess.TimedOut timedOut = assertThrows(NuctlProcess.TimedOut.class,
        () -> nuctl.run(List.of("/bin/sh", "-c", "echo started; exec sleep 60"), Duration.ofMillis(1500), l -> { }));
    assertTrue((System.nanoTime() - start) / 1e9 < 20);
    assertEquals("started\n", timedOut.partial().stdout());
  }
}
