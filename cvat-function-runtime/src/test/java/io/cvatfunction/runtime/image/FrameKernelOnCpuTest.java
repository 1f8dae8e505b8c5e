package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.cvatfunction.runtime.JpegLayouts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/**
 * The frame kernel's arithmetic without a GPU: {@code frame-to-input.cu}, built for the CPU with a host harness
 * ({@code frame-kernel-on-cpu.cpp}) and run over the planes libjpeg decodes in raw-data mode (the planes nvJPEG
 * decodes), gives the CPU path's input value for value on every layout the GPU path takes. The harness needs a C++
 * compiler and libjpeg's headers: {@code apt-get install g++ libjpeg-dev} (CI's {@code .ci/run} does).
 */
class FrameKernelOnCpuTest {

  private static final String TOOLS = "apt-get install g++ libjpeg-dev";

  @TempDir static Path dir;
  private static Path harness;
  private static NDManager manager;

  @BeforeAll
  static void buildHarness() throws Exception {
    copy("/io/cvatfunction/runtime/image/frame-to-input.cu", dir.resolve("frame-to-input.cu"));
    copy("/io/cvatfunction/runtime/image/frame-kernel-on-cpu.cpp", dir.resolve("harness.cpp"));
    harness = dir.resolve("harness");
    String failure;
    try {
      failure = run(List.of("c++", "-std=c++17", "-O2", "-ffp-contract=off", "-o", harness.toString(),
          dir.resolve("harness.cpp").toString(), "-ljpeg"));
    } catch (IOException noCompiler) {
      failure = "no C++ compiler (c++): " + noCompiler.getMessage();
    }
    if (failure != null) {
      String message = "the kernel's CPU harness did not build: " + failure;
      boolean toolsMissing = failure.startsWith("no C++ compiler") || failure.contains("jpeglib.h");
      if (toolsMissing && !"true".equals(System.getenv("CI"))) {
        Assumptions.abort(message + " (" + TOOLS + ")");
      }
      throw new AssertionError(message); // a kernel that does not compile, or CI without the tools
    }
    manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }

  @AfterAll
  static void close() {
    if (manager != null) {
      manager.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyLayoutGivesTheCpuPathsInput() {
    FrameDecoder decoder = new FrameDecoder(50_000_000);
    return JpegLayouts.frames().entrySet().stream().map((Map.Entry<String, byte[]> frame) ->
        DynamicTest.dynamicTest(frame.getKey(), () -> {
          Mat bgr = decoder.decode(frame.getValue());
          LetterBox box = LetterBox.of(bgr.cols(), bgr.rows(), 640, 640);
          float[] expected = FramePreprocessor.cpuInput(bgr, box, manager).toFloatArray();
          float[] actual = kernelOnCpu(frame.getValue(), box);
          int differ = 0;
          String first = "";
          for (int i = 0; i < expected.length; i++) {
            if (actual[i] != expected[i]) {
              first = differ++ == 0 ? " (first at " + i + ": " + actual[i] * 255 + " for " + expected[i] * 255 + ")" : first;
            }
          }
          assertEquals(0, differ, differ + " of " + expected.length + " values differ" + first);
        }));
  }

  private static float[] kernelOnCpu(byte[] jpeg, LetterBox box) throws Exception {
    Path frame = Files.write(dir.resolve("frame.jpg"), jpeg);
    Path out = dir.resolve("input.f32");
    String failure = run(List.of(harness.toString(), frame.toString(), Integer.toString(box.dstWidth()),
        Integer.toString(box.dstHeight()), Integer.toString(box.resizedWidth()), Integer.toString(box.resizedHeight()),
        Integer.toString(box.left()), Integer.toString(box.top()), out.toString()));
    if (failure != null) {
      throw new AssertionError("the harness failed: " + failure);
    }
    float[] input = new float[3 * box.dstWidth() * box.dstHeight()];
    ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.nativeOrder()).asFloatBuffer().get(input);
    return input;
  }

  /** Runs a command; {@code null} when it succeeds, else its exit status and output. */
  private static String run(List<String> command) throws IOException, InterruptedException {
    Path log = dir.resolve("command.log");
    Process process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      return "timed out: " + String.join(" ", command);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8).trim();
    return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = FrameKernelOnCpuTest.class.getResourceAsStream(resource)) {
      Files.copy(in, target);
    }
  }
}
