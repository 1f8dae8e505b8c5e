package io.cvatfunction.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.ReferenceMatch;
import io.cvatfunction.runtime.cvat.CvatStandIn;
import io.cvatfunction.runtime.cvat.StandInTasks;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * cvat:image for real: the sample built by Maven into Debian's docker-registry on loopback and into a tar,
 * inspected with skopeo, unpacked with umoci and run under chroot with a Nuclio processor.yaml until its
 * HEALTHCHECK passes, then asked about the fixture frames. Figures (build times, layer sizes) are printed.
 */
@ExtendWith(SystemTools.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LAYERS = List.of("native libraries (cpu)", "opencv", "javacpp", "dependencies",
      "snapshot dependencies", "model", "classes");

  private Path repository;
  private Path localRepository;
  private Path module;
  private Path work;
  private Path base;
  private Path sampleCopy;
  private LocalRegistry registry;
  private String registryDigest;

  @BeforeAll
  void start() throws Exception {
    repository = Path.of(System.getProperty("cvat.it.repository", "..")).toAbsolutePath().normalize();
    module = repository.resolve("cvat-function-it");
    // The builds below use the artifacts this build installed, wherever its local repository is.
    localRepository = Path.of(System.getProperty("cvat.it.localRepository",
        Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
    work = module.resolve("target/it-work");
    Commands.run(List.of("rm", "-rf", work.toString()));
    base = TestBase.archive(module);
    registry = LocalRegistry.start(work.resolve("registry"));
    // Builds that change sources work on a copy; the sample itself only gets the tar build.
    sampleCopy = work.resolve("sample");
    Commands.run(List.of("mkdir", "-p", sampleCopy.toString()));
    Commands.run(List.of("cp", "-r", repository.resolve("samples/shapes-detector/pom.xml").toString(),
        repository.resolve("samples/shapes-detector/src").toString(), sampleCopy.toString()));
    Path pom = sampleCopy.resolve("pom.xml");
    Files.writeString(pom, Files.readString(pom).replace("<relativePath>../../pom.xml</relativePath>",
        "<relativePath>" + repository.resolve("pom.xml") + "</relativePath>"));
  }

  @AfterAll
  void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  /** Runs the project's build with cvat:image; returns the seconds it took. */
  private double image(Path project, String log, String... properties) throws Exception {
    List<String> command = new ArrayList<>(List.of(repository.resolve("mvnw").toString(), "-B", "-ntp",
        "-f", project.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + localRepository,
        "package", "cvat:image", "-DskipTests",
        "-Dcvat.image.base=tar://" + base, "-Dcvat.image.insecure=true"));
    command.addAll(List.of(properties));
    long start = System.nanoTime();
    Commands.run(project, work.resolve("logs").resolve(log + ".log"), 1800, command);
    return (System.nanoTime() - start) / 1e9;
  }

  private JsonNode imageJson(Path project) throws IOException {
    return JSON.readTree(project.resolve("target/cvat/image.json").toFile());
  }

  private JsonNode skopeo(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--tls-verify=false"));
    command.addAll(List.of(args));
    return JSON.readTree(Commands.run(command));
  }

  /** Our layers: history entries with a comment, paired with the manifest's layers (the base's come first). */
  private static List<String[]> namedLayers(JsonNode manifest, JsonNode config) {
    List<String> comments = new ArrayList<>();
    config.get("history").forEach(h -> {
      if (!h.path("empty_layer").asBoolean(false)) {
        comments.add(h.path("comment").asText(""));
      }
    });
    List<String[]> layers = new ArrayList<>();
    JsonNode manifestLayers = manifest.get("layers");
    for (int i = 0; i < manifestLayers.size(); i++) {
      layers.add(new String[] {comments.get(i), manifestLayers.get(i).get("digest").asText(),
          manifestLayers.get(i).get("size").asText()});
    }
    return layers;
  }

  @Test
  @Order(1)
  void pushesALayeredImageWithHealthcheckToARegistry() throws Exception {
    String image = registry.host() + "/shapes-detector:it";
    double cold = image(sampleCopy, "registry-cold", "-Dcvat.image.flavor=cpu", "-Dcvat.image.name=" + image);
    JsonNode report = imageJson(sampleCopy);
    registryDigest = report.get("digest").asText();
    assertEquals(registry.host() + "/shapes-detector@" + registryDigest, report.get("reference").asText());
    assertEquals("cpu", report.get("flavor").asText());
    assertTrue(report.get("baseDigest").asText().startsWith("sha256:"));

    JsonNode manifest = skopeo("--raw", "docker://" + image);
    JsonNode config = skopeo("--raw", "--config", "docker://" + image);
    assertEquals(registryDigest, skopeo("docker://" + image).get("Digest").asText());
    List<String[]> layers = namedLayers(manifest, config);
    List<String> ours = layers.stream().map(l -> l[0]).filter(n -> !n.isEmpty()).toList();
    assertEquals(LAYERS, ours, "most stable first");
    JsonNode c = config.get("config");
    List<String> env = new ArrayList<>();
    c.get("Env").forEach(e -> env.add(e.asText()));
    assertTrue(env.containsAll(List.of("PYTORCH_LIBRARY_PATH=/opt/cvat/libtorch", "PYTORCH_FLAVOR=cpu",
        "PYTORCH_VERSION=2.3.1", "DJL_OFFLINE=true", "NVIDIA_VISIBLE_DEVICES=all",
        "NVIDIA_DRIVER_CAPABILITIES=compute,utility", "CVAT_HANDLER=io.cvatfunction.samples.shapes.ShapesDetector")), env.toString());
    assertTrue(env.stream().noneMatch(e -> e.startsWith("CVAT_NVJPEG_LIBRARY=")), "no nvJPEG without a GPU: " + env);
    assertEquals("io.cvatfunction.runtime.server.FunctionServer", c.get("Entrypoint").get(c.get("Entrypoint").size() - 1).asText());
    assertEquals("1000:1000", c.get("User").asText());
    String probe = c.get("Healthcheck").get("Test").toString();
    assertTrue(probe.contains("/dev/tcp/127.0.0.1/8082") && probe.contains("GET /ready"), probe);
    assertFalse(probe.contains("java"), "a probe must not start a JVM");
    JsonNode healthcheck = c.get("Healthcheck");
    assertEquals(2_000_000_000L, healthcheck.get("Interval").asLong(), healthcheck.toString());
    assertEquals(3_000_000_000L, healthcheck.get("Timeout").asLong(), healthcheck.toString());
    assertEquals(3, healthcheck.get("Retries").asInt(), healthcheck.toString());
    assertEquals(300_000_000_000L, healthcheck.get("StartPeriod").asLong(),
        "by default 5 minutes of starting, not unhealthy, while the model loads: " + healthcheck);
    assertEquals("amd64", config.get("architecture").asText());

    long compressed = 0;
    StringBuilder sizes = new StringBuilder();
    for (String[] layer : layers) {
      compressed += Long.parseLong(layer[2]);
      sizes.append(String.format("%n  %-26s %8.1f MB", layer[0].isEmpty() ? "(base)" : layer[0], Long.parseLong(layer[2]) / 1e6));
    }
    System.out.printf("cvat:image cpu, cold build + push: %.1f s; compressed %.1f MB:%s%n", cold, compressed / 1e6, sizes);
  }

  @Test
  @Order(2)
  void theImageRunsUnderChrootAndAnswersLikeUltralytics() throws Exception {
    JsonNode config = skopeo("--raw", "--config", "docker://" + registry.host() + "/shapes-detector:it");
    List<String> probe = new ArrayList<>();
    config.get("config").get("Healthcheck").get("Test").forEach(t -> probe.add(t.asText()));
    try (UnpackedImage container = UnpackedImage.unpack("docker://" + registry.host() + "/shapes-detector:it", work.resolve("run"))) {
      container.processorConfig("""
          metadata:
            name: shapes-detector
          spec:
            handler: io.cvatfunction.samples.shapes.ShapesDetector
            eventTimeout: ""
            triggers:
              myHttpTrigger:
                class: ""
                kind: http
                name: myHttpTrigger
                numWorkers: 3
                attributes:
                  maxRequestBodySize: 33554432
          """);
      Path log = work.resolve("logs/container.log");
      long start = System.nanoTime();
      container.start(log);
      assertFalse(container.healthy(probe), "not healthy before the model is loaded");
      boolean healthy = false;
      while (!healthy && System.nanoTime() - start < 240e9 && container.isRunning()) {
        Thread.sleep(500);
        healthy = container.healthy(probe);
      }
      assertTrue(healthy, "the HEALTHCHECK passes once the function is ready; log:\n" + Files.readString(log));
      System.out.printf("container start -> healthy: %.1f s%n", (System.nanoTime() - start) / 1e9);
      assertTrue(Files.readString(log).contains("\"workers\":3"), "numWorkers comes from processor.yaml");
      assertTrue(Files.readString(log).contains("\"eventTimeoutMs\":30000"), "Nuclio's blank eventTimeout: the default");
      assertTrue(Files.readString(log).contains("\"decoder\":\"libjpeg-turbo (SIMD) and OpenCV\""),
          "JPEG frames decoded by libjpeg-turbo's SIMD code, its natives loaded inside the image");

      HttpClient client = HttpClient.newHttpClient();
      for (String frame : Fixtures.FRAMES) {
        String body = "{\"image\": \"" + Base64.getEncoder().encodeToString(Fixtures.frame(frame)) + "\"}";
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        ReferenceMatch.assertMatches("shapes-yolov8n", frame, response.statusCode(), response.body());
      }
      assertEquals(0, container.stop(), "SIGTERM stops the function cleanly");
      assertEquals(List.of(), javacppExtractions(container.rootfs()),
          "JavaCPP loads its libraries from their layer: it extracts nothing at start");
    }
  }

  /**
   * The files in the folders JavaCPP extracts into ({@code ~/.javacpp}, {@code /tmp/.javacpp-<user>}), wherever its
   * home was. It makes its (empty) cache folder even when it loads every library from the paths it is given.
   */
  private static List<Path> javacppExtractions(Path rootfs) throws IOException {
    List<Path> caches = new ArrayList<>();
    Files.walkFileTree(rootfs, Set.of(), 3, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
        if (dir.getFileName().toString().startsWith(".javacpp")) {
          caches.add(dir);
          return FileVisitResult.SKIP_SUBTREE;
        }
        boolean kernel = dir.equals(rootfs.resolve("proc")) || dir.equals(rootfs.resolve("sys"));
        return kernel ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    List<Path> files = new ArrayList<>();
    for (Path cache : caches) {
      try (Stream<Path> walk = Files.walk(cache)) {
        walk.filter(Files::isRegularFile).map(rootfs::relativize).forEach(files::add);
      }
    }
    return files;
  }

  @Test
  @Order(2)
  void theImagesAnnotateCommandAnnotatesACvatTaskAsDockerRunWould() throws Exception {
    try (CvatStandIn standIn = new CvatStandIn().user("annotator", "unused").accessToken("annotator", "image-token-8d1");
        UnpackedImage container = UnpackedImage.unpack("docker://" + registry.host() + "/shapes-detector:it",
            work.resolve("annotate"))) {
      CvatStandIn.Task task = StandInTasks.shapes(standIn, null, 1, 5, Set.of(), StandInTasks.shapesLabels("rectangle"));
      Path log = work.resolve("logs/annotate.log");
      int status = container.run(Map.of("CVAT_ACCESS_TOKEN", "image-token-8d1", "CVAT_DEVICE", "cpu"),
          List.of("annotate", "--url", standIn.url().toString(), "--task", Integer.toString(task.id())), log,
          Duration.ofMinutes(4));
      String output = Files.readString(log);
      assertEquals(0, status, output);
      assertTrue(output.contains("annotated 12 frames of task " + task.id()), output);
      assertFalse(output.contains("image-token-8d1"), "the token is never printed");
      Map<Integer, List<JsonNode>> uploaded = new HashMap<>();
      task.shapes().forEach(s -> uploaded.computeIfAbsent(s.get("frame").asInt(), f -> new ArrayList<>()).add(s));
      Map<Integer, String> labels = new HashMap<>();
      task.labels().forEach(l -> labels.put(l.get("id").asInt(), l.get("name").asText()));
      for (int frame = 0; frame < 12; frame++) {
        JsonNode expected = Fixtures.reference("shapes-yolov8n", Fixtures.FRAMES.get(frame));
        List<JsonNode> shapes = uploaded.getOrDefault(frame, List.of());
        assertEquals(expected.size(), shapes.size(), "frame " + frame);
        for (JsonNode reference : expected) {
          assertTrue(shapes.stream().anyMatch(s -> labels.get(s.get("label_id").asInt()).equals(
              reference.get("label").asText()) && Fixtures.iou(ReferenceMatch.box(reference), ReferenceMatch.box(s))
              >= 0.9), "frame " + frame + ": no uploaded box matches " + reference);
        }
      }
    }
  }

  @Test
  @Order(3)
  void rebuildsReuseEveryLayerButTheChangedOne() throws Exception {
    String image = registry.host() + "/shapes-detector:it";
    String[] props = {"-Dcvat.image.flavor=cpu", "-Dcvat.image.name=" + image};
    List<String[]> before = namedLayers(skopeo("--raw", "docker://" + image), skopeo("--raw", "--config", "docker://" + image));

    double unchanged = image(sampleCopy, "registry-unchanged", props);
    assertEquals(registryDigest, imageJson(sampleCopy).get("digest").asText(), "same inputs, same digest");

    Path source = sampleCopy.resolve("src/main/java/io/cvatfunction/samples/shapes/ShapesDetector.java");
    Files.writeString(source, Files.readString(source).replace("the cvat-function sample", "the cvat-function sample, v2"));
    double changed = image(sampleCopy, "registry-one-line", props);
    List<String[]> after = namedLayers(skopeo("--raw", "docker://" + image), skopeo("--raw", "--config", "docker://" + image));
    assertNotEquals(registryDigest, imageJson(sampleCopy).get("digest").asText());
    assertEquals(before.size(), after.size());
    long pushed = 0;
    for (int i = 0; i < before.size(); i++) {
      boolean same = before.get(i)[1].equals(after.get(i)[1]);
      assertEquals(!after.get(i)[0].equals("classes"), same, "only the classes layer changes: " + after.get(i)[0]);
      if (!same) {
        pushed += Long.parseLong(after.get(i)[2]);
      }
    }
    System.out.printf("cvat:image rebuild unchanged: %.1f s (0 layers pushed); one-line change: %.1f s "
        + "(1 layer pushed, %d bytes)%n", unchanged, changed, pushed);
  }

  @Test
  @Order(4)
  void writesTheSamplesImageTarReproducibly() throws Exception {
    Path sample = repository.resolve("samples/shapes-detector");
    // Offline (mvn -o): everything it needs is local once the registry build ran.
    double seconds = image(sample, "tar", "-o", "-Dcvat.image.flavor=cpu", "-Dcvat.image.target=tar",
        "-Dcvat.image.name=shapes-detector:it");
    Path tar = sample.resolve("target/cvat/image.tar");
    assertTrue(Files.isRegularFile(tar));
    assertEquals(registryDigest, imageJson(sample).get("digest").asText(),
        "the tar holds the very image pushed from the same sources");
    JsonNode config = skopeo("--raw", "--config", "docker-archive:" + tar);
    assertTrue(config.get("config").has("Healthcheck"));
    System.out.printf("cvat:image cpu to tar: %.1f s, %.1f MB%n", seconds, Files.size(tar) / 1e6);
  }

  @Test
  @Order(5)
  void theCudaImageCarriesCudaLibtorchAndPointsDjlAtIt() throws Exception {
    Path tar = work.resolve("cu121.tar");
    double seconds = image(sampleCopy, "cu121", "-Dcvat.image.flavor=cu121", "-Dcvat.image.target=tar",
        "-Dcvat.image.tarFile=" + tar, "-Dcvat.image.name=shapes-detector:cu121", "-Dcvat.image.healthStartPeriod=900");
    JsonNode config = skopeo("--raw", "--config", "docker-archive:" + tar);
    assertEquals(900_000_000_000L, config.get("config").get("Healthcheck").get("StartPeriod").asLong(),
        "cvat.image.healthStartPeriod, for a model that loads longer");
    String env = config.get("config").get("Env").toString();
    assertTrue(env.contains("PYTORCH_FLAVOR=cu121") && env.contains("PYTORCH_LIBRARY_PATH=/opt/cvat/libtorch"), env);
    assertTrue(env.contains("CUDA_MODULE_LOADING=LAZY"), env);
    assertTrue(env.contains("OPENCV_LOG_LEVEL=SILENT"), env);
    assertTrue(env.contains("CVAT_NVJPEG_LIBRARY=/opt/cvat/libtorch/libnvjpeg.so.12"), env);

    // The natives layer, found through the archive's manifest and the history comments.
    Path extracted = work.resolve("cu121-layers");
    Files.createDirectories(extracted);
    JsonNode archive = JSON.readTree(Commands.run(List.of("tar", "xOf", tar.toString(), "manifest.json")));
    JsonNode layerFiles = archive.get(0).get("Layers");
    List<String> comments = new ArrayList<>();
    config.get("history").forEach(h -> {
      if (!h.path("empty_layer").asBoolean(false)) {
        comments.add(h.path("comment").asText(""));
      }
    });
    String nativesLayer = layerFiles.get(comments.indexOf("native libraries (cu121)")).asText();
    Commands.run(List.of("tar", "xf", tar.toString(), "-C", extracted.toString(), nativesLayer));
    Path libtorch = extracted.resolve("libtorch");
    Files.createDirectories(libtorch);
    Commands.run(List.of("tar", "xzf", extracted.resolve(nativesLayer).toString(), "-C", libtorch.toString()));
    Path dir = libtorch.resolve("opt/cvat/libtorch");
    List<String> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    // NVRTC and its builtins compile the runtime's frame kernel at load.
    for (String prefix : List.of("libtorch_cuda.so", "libc10_cuda.so", "libcudart-", "libcublas-", "libcublasLt-",
        "libcudnn.so.8", "libcudnn_cnn_infer.so.8", "libnvrtc-", "libnvrtc-builtins-", "libtorch.so", "libdjl_torch.so")) {
      assertTrue(files.stream().anyMatch(f -> f.startsWith(prefix)), prefix + " in " + files);
    }
    // The JNI glue is the cu121 build from DJL's jni jar, not the CPU one.
    Path jniJar = localRepository.resolve("ai/djl/pytorch/pytorch-jni/2.3.1-0.29.0/pytorch-jni-2.3.1-0.29.0.jar");
    try (ZipFile zip = new ZipFile(jniJar.toFile());
        InputStream cuda = zip.getInputStream(zip.getEntry("jnilib/linux-x86_64/cu121/libdjl_torch.so"))) {
      assertEquals(sha256(cuda.readAllBytes()), sha256(Files.readAllBytes(dir.resolve("libdjl_torch.so"))));
    }
    // nvJPEG, the runtime's GPU JPEG decoder, is the one file taken from JavaCPP's cuda-redist jar.
    Path cudaJar = localRepository.resolve(
        "org/bytedeco/cuda-redist/12.9-9.10-1.5.12/cuda-redist-12.9-9.10-1.5.12-linux-x86_64.jar");
    try (ZipFile zip = new ZipFile(cudaJar.toFile());
        InputStream nvjpeg = zip.getInputStream(zip.getEntry("org/bytedeco/cuda/linux-x86_64/libnvjpeg.so.12"))) {
      assertEquals(sha256(nvjpeg.readAllBytes()), sha256(Files.readAllBytes(dir.resolve("libnvjpeg.so.12"))));
      List<String> fromCudaJar = files.stream()
          .filter(f -> zip.getEntry("org/bytedeco/cuda/linux-x86_64/" + f) != null).toList();
      assertEquals(List.of("libnvjpeg.so.12"), fromCudaJar, "only nvJPEG from the cuda-redist jar");
    }
    long nativesBytes = Files.size(extracted.resolve(nativesLayer));
    System.out.printf("cvat:image cu121 to tar: %.1f s, %.1f MB; natives layer %.1f MB compressed, %d files%n",
        seconds, Files.size(tar) / 1e6, nativesBytes / 1e6, files.size());
    Commands.run(List.of("rm", "-rf", extracted.toString(), tar.toString()));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
