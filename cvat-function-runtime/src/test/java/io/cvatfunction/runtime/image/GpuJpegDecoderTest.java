package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.cvatfunction.runtime.BadRequestException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * How frames are handed to nvJPEG's decoders, on any machine: nvJPEG is {@link FakeNvJpeg}, the planes are CPU
 * tensors it writes into. Which decoder takes a frame, what happens when one fails, each thread's own objects, and
 * what is freed at close. (nvJPEG itself runs in the GPU runs: the parity tests with {@code -Dcvat.device=gpu}.)
 */
class GpuJpegDecoderTest {

  private static final int ENGINE = NvJpegLibrary.BACKEND_HARDWARE;
  private static final int GPU_HUFFMAN = NvJpegLibrary.BACKEND_GPU_HYBRID;
  private static final int CPU_HUFFMAN = NvJpegLibrary.BACKEND_HYBRID;
  private static final String ENGINE_NAME = "JPEG engine";
  private static final String GPU_HUFFMAN_NAME = "GPU Huffman";
  private static final String CPU_HUFFMAN_NAME = "CPU Huffman";
  private static byte[] jpeg;

  private final FakeNvJpeg nvjpeg = new FakeNvJpeg();
  private NDManager manager;

  @BeforeAll
  static void encode() {
    OpenCv.load();
    Mat frame = new Mat(10, 16, CvType.CV_8UC3, new Scalar(40, 120, 200));
    MatOfByte out = new MatOfByte();
    Imgcodecs.imencode(".jpg", frame, out);
    jpeg = out.toArray();
    frame.release();
    out.release();
  }

  @BeforeEach
  void cpuManager() {
    manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }

  @AfterEach
  void noMisuse() {
    manager.close();
    assertEquals(List.of(), nvjpeg.misuse());
  }

  @Test
  void aFrameGoesToTheJpegEngineWhenItTakesIt() throws Exception {
    try (GpuJpegDecoder decoder = open()) {
      assertEquals("12.4 (JPEG engine, GPU Huffman, CPU Huffman)", decoder.description());
      try (JpegPlanes planes = decoder.decode(jpeg, manager)) {
        assertDecodedBy(ENGINE, planes);
        assertEquals(1, planes.horizontalShift());
        assertEquals(1, planes.verticalShift());
      }
      assertEquals(Map.of("JPEG engine", 1L, "GPU Huffman", 0L, "CPU Huffman", 0L), decoder.framesDecoded());
    }
  }

  @Test
  void aFrameTheEngineDoesNotTakeGoesToTheNextDecoderThatDoes() throws Exception {
    nvjpeg.width = 1920;
    nvjpeg.height = 1080;
    nvjpeg.backends.get(ENGINE).supports = false;
    try (GpuJpegDecoder decoder = open(); JpegPlanes planes = decoder.decode(jpeg, manager)) {
      assertDecodedBy(GPU_HUFFMAN, planes);
    }
    nvjpeg.backends.get(GPU_HUFFMAN).supports = false; // a progressive frame: only CPU Huffman takes it
    try (GpuJpegDecoder decoder = open(); JpegPlanes planes = decoder.decode(jpeg, manager)) {
      assertDecodedBy(CPU_HUFFMAN, planes);
    }
  }

  @Test
  void aFrameOfUpToAMegapixelTriesCpuHuffmanBeforeGpuHuffman() throws Exception {
    nvjpeg.width = 1000;
    nvjpeg.height = 1000;
    nvjpeg.backends.get(ENGINE).supports = false;
    try (GpuJpegDecoder decoder = open(); JpegPlanes planes = decoder.decode(jpeg, manager)) {
      assertDecodedBy(CPU_HUFFMAN, planes);
    }
    nvjpeg.backends.get(CPU_HUFFMAN).supports = false;
    try (GpuJpegDecoder decoder = open(); JpegPlanes planes = decoder.decode(jpeg, manager)) {
      assertDecodedBy(GPU_HUFFMAN, planes);
    }
  }

  @Test
  void aDecoderThatFailsInAnyPhaseOrCannotMakeItsStateLeavesTheFrameToTheNext() throws Exception {
    nvjpeg.width = 1920;
    nvjpeg.height = 1080;
    try (GpuJpegDecoder decoder = open()) {
      for (FakeNvJpeg.Phase phase : FakeNvJpeg.Phase.values()) {
        nvjpeg.backends.get(ENGINE).fails = phase;
        for (int frame = 0; frame < 2; frame++) {
          try (JpegPlanes planes = decoder.decode(jpeg, manager)) {
            assertDecodedBy(GPU_HUFFMAN, planes);
          }
        }
      }
      // Each failure is logged once, naming the decoder, the call and its status
      assertEquals(Set.of("JPEG engine: nvjpegDecodeJpegHost NVJPEG_STATUS_EXECUTION_FAILED",
          "JPEG engine: nvjpegDecodeJpegTransferToDevice NVJPEG_STATUS_EXECUTION_FAILED",
          "JPEG engine: nvjpegDecodeJpegDevice NVJPEG_STATUS_EXECUTION_FAILED"), decoder.failuresLogged());
    }
    nvjpeg.backends.get(ENGINE).fails = null;
    nvjpeg.backends.get(ENGINE).statesFail = true; // a thread's state is made with its first frame for that decoder
    try (GpuJpegDecoder decoder = open(); JpegPlanes planes = decoder.decode(jpeg, manager)) {
      assertDecodedBy(GPU_HUFFMAN, planes);
      assertEquals(Set.of("JPEG engine: nvjpegDecoderStateCreate NVJPEG_STATUS_ALLOCATOR_FAILURE"),
          decoder.failuresLogged());
    }
  }

  @Test
  void aStateThatCannotTakeItsBuffersIsFreedAndTheFrameLeftToTheCpu() throws Exception {
    nvjpeg.deviceBuffersRefused = true;
    try (GpuJpegDecoder decoder = open()) {
      assertNull(decoder.decode(jpeg, manager));
      assertEquals(0, nvjpeg.live("state"), "each state made was freed");
      assertEquals(Set.of("JPEG engine: nvjpegStateAttachDeviceBuffer NVJPEG_STATUS_ALLOCATOR_FAILURE",
          "GPU Huffman: nvjpegStateAttachDeviceBuffer NVJPEG_STATUS_ALLOCATOR_FAILURE",
          "CPU Huffman: nvjpegStateAttachDeviceBuffer NVJPEG_STATUS_ALLOCATOR_FAILURE"), decoder.failuresLogged());
      nvjpeg.deviceBuffersRefused = false; // made on the thread's next frame
      try (JpegPlanes planes = decoder.decode(jpeg, manager)) {
        assertDecodedBy(ENGINE, planes);
      }
    }
    assertEquals(0, nvjpeg.liveObjects());
    assertEquals(List.of(), nvjpeg.misuse());
  }

  @Test
  void aStreamNvJpegCannotParseIsLeftToTheCpuAndSaidOnce() throws Exception {
    nvjpeg.parseFails = true;
    try (GpuJpegDecoder decoder = open()) {
      assertNull(decoder.decode(jpeg, manager));
      assertNull(decoder.decode(jpeg, manager));
      assertEquals(Set.of("before any decoder: nvjpegJpegStreamParse or nvjpegDecodeParamsSetOutputFormat"
          + " NVJPEG_STATUS_BAD_JPEG"),
          decoder.failuresLogged());
      assertEquals(List.of(), nvjpeg.decodedBy());
    }
  }

  @Test
  void aFrameNoDecoderTakesOrDecodesIsLeftToTheCpu() throws Exception {
    try (GpuJpegDecoder decoder = open()) {
      nvjpeg.backends.values().forEach(backend -> backend.supports = false);
      assertNull(decoder.decode(jpeg, manager));
      nvjpeg.backends.values().forEach(backend -> {
        backend.supports = true;
        backend.fails = FakeNvJpeg.Phase.DEVICE; // as every call does after a device fault
      });
      assertNull(decoder.decode(jpeg, manager));
      assertEquals(List.of(), nvjpeg.decodedBy());
      assertEquals(Map.of("JPEG engine", 0L, "GPU Huffman", 0L, "CPU Huffman", 0L), decoder.framesDecoded());
    }
  }

  @Test
  void aGreyFrameIsDecodedToItsLumaPlaneOnly() throws Exception {
    nvjpeg.components = 1;
    nvjpeg.subsampling = NvJpegLibrary.CSS_GRAY;
    try (GpuJpegDecoder decoder = open(); JpegPlanes planes = decoder.decode(jpeg, manager)) {
      assertNull(planes.chroma());
      assertTrue(allEqual(planes.luma().toByteArray(), FakeNvJpeg.value(ENGINE, 0)));
    }
  }

  @Test
  void aGpuWithoutAJpegEngineDecodesWithTheOtherDecoders() throws Exception {
    nvjpeg.engineHandle = false;
    nvjpeg.backends.get(ENGINE).made = false;
    try (GpuJpegDecoder decoder = open(); JpegPlanes planes = decoder.decode(jpeg, manager)) {
      assertEquals("12.4 (GPU Huffman, CPU Huffman)", decoder.description());
      assertDecodedBy(CPU_HUFFMAN, planes); // a small frame
    }
    nvjpeg.backends.values().forEach(backend -> backend.made = false);
    GpuUnavailableException none = assertThrows(GpuUnavailableException.class, this::open);
    assertTrue(none.getMessage().startsWith("nvJPEG could make none of its decoders (JPEG engine, GPU Huffman, CPU"
        + " Huffman)"), none.getMessage());
    assertEquals(0, nvjpeg.liveObjects(), "the handle is freed when no decoder could be made");
  }

  @Test
  void eachThreadDecodesWithItsOwnObjectsAndCloseFreesEveryOneOnce() throws Exception {
    GpuJpegDecoder decoder = open();
    Callable<Integer> decodeTwice = () -> {
      int decoded = 0;
      for (int i = 0; i < 2; i++) {
        try (JpegPlanes planes = decoder.decode(jpeg, manager)) {
          decoded += planes == null ? 0 : 1;
        }
      }
      return decoded;
    };
    ExecutorService threads = Executors.newFixedThreadPool(3); // a thread for each of the three tasks
    try {
      for (Future<Integer> decoded : threads.invokeAll(List.of(decodeTwice, decodeTwice, decodeTwice))) {
        assertEquals(2, decoded.get());
      }
    } finally {
      threads.shutdown();
    }
    for (String kind : List.of("stream", "params", "pinned buffer", "device buffer", "state")) {
      assertEquals(3, nvjpeg.live(kind), kind + ": one per thread that decoded (each used one decoder)");
    }
    decoder.close();
    assertEquals(0, nvjpeg.liveObjects(), "every object freed at close");
  }

  @Test
  void aTestFrameGoesToTheDecoderNamedAloneAndIsNotCounted() throws Exception {
    try (GpuJpegDecoder decoder = open()) {
      for (int backend : List.of(CPU_HUFFMAN, GPU_HUFFMAN, ENGINE)) {
        try (JpegPlanes planes = decoder.decodeWith(name(backend), jpeg, manager)) {
          assertDecodedBy(backend, planes);
        }
      }
      nvjpeg.backends.get(GPU_HUFFMAN).supports = false;
      assertNull(decoder.decodeWith(GPU_HUFFMAN_NAME, jpeg, manager), "not left to another decoder");
      nvjpeg.backends.get(CPU_HUFFMAN).fails = FakeNvJpeg.Phase.HOST;
      assertNull(decoder.decodeWith(CPU_HUFFMAN_NAME, jpeg, manager));
      assertEquals(List.of(CPU_HUFFMAN, GPU_HUFFMAN, ENGINE), nvjpeg.decodedBy());
      assertEquals(Map.of("JPEG engine", 0L, "GPU Huffman", 0L, "CPU Huffman", 0L), decoder.framesDecoded());
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
          () -> decoder.decodeWith("GPU", jpeg, manager));
      assertEquals("no nvJPEG decoder is called GPU: [JPEG engine, GPU Huffman, CPU Huffman]", unknown.getMessage());
    }
  }

  @Test
  void framesGoOnlyToTheDecodersRetained() throws Exception {
    nvjpeg.width = 1920;
    nvjpeg.height = 1080;
    try (GpuJpegDecoder decoder = open()) {
      decoder.retain(Set.of(GPU_HUFFMAN_NAME, CPU_HUFFMAN_NAME));
      assertEquals("12.4 (GPU Huffman, CPU Huffman)", decoder.description());
      try (JpegPlanes planes = decoder.decode(jpeg, manager)) {
        assertDecodedBy(GPU_HUFFMAN, planes);
      }
      nvjpeg.width = 16; // a small frame: CPU Huffman first, as before
      nvjpeg.height = 10;
      decoder.retain(Set.of(CPU_HUFFMAN_NAME, ENGINE_NAME));
      assertEquals("12.4 (CPU Huffman)", decoder.description(), "a decoder once left out stays out");
      nvjpeg.backends.get(CPU_HUFFMAN).supports = false;
      assertNull(decoder.decode(jpeg, manager), "left to the CPU, not to a decoder no longer in use");
      assertEquals(Map.of("CPU Huffman", 0L), decoder.framesDecoded());
      IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
          () -> decoder.retain(Set.of(ENGINE_NAME)));
      assertEquals("none of nvJPEG's decoders in use (CPU Huffman) is among [JPEG engine]", none.getMessage());
      assertEquals("12.4 (CPU Huffman)", decoder.description());
    }
  }

  @Test
  void aFrameTheCpuDecoderRefusesIsRefusedBeforeNvJpegSeesIt() throws Exception {
    try (GpuJpegDecoder decoder = open()) {
      byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
      assertThrows(BadRequestException.class, () -> decoder.decode(truncated, manager));
      assertEquals(0, nvjpeg.live("stream"), "no workspace made for a refused frame");
    }
  }

  private GpuJpegDecoder open() throws GpuUnavailableException {
    return GpuJpegDecoder.open(nvjpeg, Device.gpu(), new FrameDecoder(50_000_000));
  }

  private static String name(int backend) {
    return backend == ENGINE ? ENGINE_NAME : backend == GPU_HUFFMAN ? GPU_HUFFMAN_NAME : CPU_HUFFMAN_NAME;
  }

  private static void assertDecodedBy(int backend, JpegPlanes planes) {
    assertNotNull(planes, "decoded on the GPU");
    assertTrue(allEqual(planes.luma().toByteArray(), FakeNvJpeg.value(backend, 0)), "luma from backend " + backend);
    byte[] chroma = planes.chroma().toByteArray();
    int half = chroma.length / 2;
    assertTrue(allEqual(Arrays.copyOfRange(chroma, 0, half), FakeNvJpeg.value(backend, 1)), "Cb");
    assertTrue(allEqual(Arrays.copyOfRange(chroma, half, chroma.length), FakeNvJpeg.value(backend, 2)),
        "Cr");
  }

  private static boolean allEqual(byte[] values, byte expected) {
    for (byte value : values) {
      if (value != expected) {
        return false;
      }
    }
    return values.length > 0;
  }
}
