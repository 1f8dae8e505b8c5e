package io.cvatfunction.maven.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cvatfunction.contract.ServerMain;
import io.cvatfunction.maven.spec.CompiledProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cvat:run's parameters: each bad one named with what it takes, and the exact command line of good ones. */
class RunRequestTest {

  private static final Path JAVA = Path.of("/opt/jdk/bin/java");
  private static final List<String> CLASSPATH = List.of("/p/target/classes", "/m2/runtime.jar");

  @TempDir
  Path dir;

  private CompiledProject project;

  private static String detector(String className, String name) {
    return "package com.example;\n@io.cvatfunction.runtime.CvatFunction(name = \"" + name + "\", description = \"d\","
        + " model = \"classpath:models/shapes.torchscript\")\n"
        + "public class " + className + " extends io.cvatfunction.runtime.yolo.YoloDetector {}\n";
  }

  @BeforeEach
  void compile() throws Exception {
    project = new CompiledProject(dir).compile(Map.of("com.example.Balls", detector("Balls", "balls"),
        "com.example.Boxes", detector("Boxes", "boxes")));
  }

  private FunctionProcess.Options options(RunRequest request) {
    return request.options(JAVA, CLASSPATH, project.classes, project.runtimeJar, dir);
  }

  @Test
  void theCommandLineRunsTheServerMainWithTheChosenFunction() {
    FunctionProcess.Options options = options(new RunRequest(8080, 8082, "gpu:1", null, "boxes", List.of("-Xmx4g")));
    assertEquals(List.of("/opt/jdk/bin/java", "-Xmx4g", "-Dcvat.handler=com.example.Boxes", "-Dcvat.port=8080",
        "-Dcvat.healthPort=8082", "-Dcvat.device=gpu:1", "-cp", "/p/target/classes:/m2/runtime.jar",
        ServerMain.CLASS_NAME), options.command());
    assertEquals(List.of(), options(new RunRequest(1, 2, "cpu", " ", "com.example.Balls", null)).jvmArgs(),
        "no jvmArgs, no model");
  }

  @Test
  void aModelFileIsPassedAsAnAbsolutePathAndAClasspathReferenceAsItIs() throws Exception {
    Files.createDirectories(dir.resolve("models"));
    Files.write(dir.resolve("models/other.torchscript"), new byte[] {1});
    assertEquals(List.of("-Dcvat.model=" + dir.resolve("models/other.torchscript")),
        modelFlags(options(new RunRequest(8080, 8082, "auto", "models/../models/other.torchscript", "balls", null))));
    assertEquals(List.of("-Dcvat.model=classpath:models/x.torchscript"),
        modelFlags(options(new RunRequest(8080, 8082, "auto", "classpath:models/x.torchscript", "balls", null))));
  }

  private static List<String> modelFlags(FunctionProcess.Options options) {
    return options.command().stream().filter(a -> a.startsWith("-Dcvat.model=")).toList();
  }

  private String refusal(int port, int healthPort, String device) {
    return assertThrows(IllegalArgumentException.class,
        () -> options(new RunRequest(port, healthPort, device, null, "balls", null))).getMessage();
  }

  @Test
  void aBadParameterIsNamedWithWhatItTakes() {
    assertEquals("cvat.run.port must be in 1..65535, got 0", refusal(0, 8082, "auto"));
    assertEquals("cvat.run.healthPort must be in 1..65535, got 65536", refusal(8080, 65536, "auto"));
    assertEquals("cvat.run.port and cvat.run.healthPort must differ, both are 8080", refusal(8080, 8080, "auto"));
    assertEquals("cvat.run.device must be auto, cpu, gpu or gpu:N, got 'cuda'", refusal(8080, 8082, "cuda"));
    assertEquals("cvat.run.device must be auto, cpu, gpu or gpu:N, got 'gpu:x'", refusal(8080, 8082, "gpu:x"));
  }

  @Test
  void aMissingModelFileSaysWhatToGive() {
    assertEquals("cvat.model " + dir.resolve("best.torchscript") + " does not exist; give a TorchScript file exported "
        + "by Ultralytics (yolo export model=best.pt format=torchscript)", assertThrows(IllegalArgumentException.class,
            () -> options(new RunRequest(8080, 8082, "auto", "best.torchscript", "balls", null))).getMessage());
  }

  @Test
  void severalFunctionsAskForTheRunHandler() {
    assertEquals("several functions in " + project.classes + ": balls (com.example.Balls), boxes (com.example.Boxes); "
        + "choose one with -Dcvat.run.handler=<class or function name>", assertThrows(IllegalArgumentException.class,
            () -> options(new RunRequest(8080, 8082, "auto", null, null, null))).getMessage());
  }
}
