package io.cvatfunction.maven.nuclio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nuctl stand-in parses and answers as nuctl does, so the deploy tests test against nuctl's real surface. */
class FakeNuctlTest {

  @TempDir
  Path dir;

  private FakeNuctlHome fake;

  @BeforeEach
  void setUp() throws Exception {
    fake = FakeNuctlHome.create(dir);
  }

  private NuctlProcess.Result nuctl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(fake.executable().toString()));
    command.addAll(List.of(args));
    return new Nuctl("unused", "local", null, new Redactor()).run(command, Duration.ofMinutes(1), line -> { });
  }

  @Test
  void rejectsFlagsNuctlDoesNotHaveAsCobraDoes() throws Exception {
    NuctlProcess.Result project = nuctl("deploy", "fn", "--project", "cvat", "--platform", "local");
    assertEquals(1, project.exitCode());
    assertEquals("\nError - unknown flag: --project\nCall stack:\nunknown flag: --project\n", project.stderr());
    assertEquals("unknown flag: --project", project.headline());

    NuctlProcess.Result shorthand = nuctl("get", "function", "fn", "--platform", "local", "-x");
    assertEquals(1, shorthand.exitCode());
    assertEquals("unknown shorthand flag: 'x' in -x", shorthand.headline());

    NuctlProcess.Result missingValue = nuctl("get", "function", "fn", "--platform");
    assertEquals("flag needs an argument: --platform", missingValue.headline());

    NuctlProcess.Result notAnInt = nuctl("deploy", "fn", "--platform", "local", "--readiness-timeout", "5m");
    assertTrue(notAnInt.headline().startsWith("invalid argument \"5m\" for \"--readiness-timeout\" flag"),
        notAnInt.headline());

    // --force belongs to delete, not get
    assertEquals("unknown flag: --force", nuctl("get", "function", "fn", "--platform", "local", "--force").headline());
  }

  @Test
  void refusesWhatNuclioRefusesAsAFunctionName() throws Exception {
    NuctlProcess.Result spaced = nuctl("deploy", "my detector", "--run-image", "x@sha256:0", "--runtime", "java",
        "--platform", "local");
    assertEquals(1, spaced.exitCode());
    assertTrue(spaced.headline().startsWith("Failed to deploy function: Function name doesn't conform to k8s naming "
        + "convention"), spaced.headline());
    NuctlProcess.Result dotted = nuctl("deploy", "pth.facebookresearch.sam.vit_h", "--run-image", "x@sha256:0", "--runtime",
        "java", "--platform", "local");
    assertFalse(dotted.output().contains("naming convention"), "the local platform takes it: " + dotted.output());
  }

  @Test
  void recordsEveryCallAndAnswersLikeNuctl() throws Exception {
    NuctlProcess.Result version = nuctl("version");
    assertEquals(0, version.exitCode());
    assertEquals("1.15.9", Nuctl.parseVersion(version.stdout()).orElseThrow());

    NuctlProcess.Result missing = nuctl("get", "function", "fn", "--platform", "local", "-o", "json");
    assertEquals(1, missing.exitCode());
    assertEquals("No functions found", missing.stdout().strip(), "a not-found error is printed bare on stdout");

    NuctlProcess.Result noProject = nuctl("get", "project", "cvat", "--platform", "local");
    assertEquals(1, noProject.exitCode());
    assertEquals("No projects found", noProject.stdout().strip());

    assertEquals(List.of(
        List.of("version"),
        List.of("get", "function", "fn", "--platform", "local", "-o", "json"),
        List.of("get", "project", "cvat", "--platform", "local")), fake.calls());
  }

  @Test
  void refusesToUpdateOrDeleteAFunctionLeftBuildingUnlessForced() throws Exception {
    fake.project("cvat").function("fn", "building", "");
    Path yaml = dir.resolve("function.yaml");
    java.nio.file.Files.writeString(yaml, "metadata:\n  name: fn\n");
    NuctlProcess.Result update = nuctl("deploy", "fn", "--run-image", "r/fn@sha256:" + "a".repeat(64), "--runtime", "java",
        "--file", yaml.toString(), "--platform", "local", "--project-name", "cvat");
    assertEquals(1, update.exitCode());
    assertTrue(update.headline().contains("being provisioned"), update.headline());

    assertEquals(1, nuctl("delete", "function", "fn", "--platform", "local").exitCode());
    assertEquals(0, nuctl("delete", "function", "fn", "--platform", "local", "--force").exitCode());
    assertEquals(null, fake.state().getProperty("function.fn.state"), "deleted");
  }
}
