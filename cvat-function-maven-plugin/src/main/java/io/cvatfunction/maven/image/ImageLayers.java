package io.cvatfunction.maven.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.cvatfunction.contract.Skeletons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The image's layers, most stable first, so a rebuild after a code change re-pushes only the last ones:
 * native libraries, OpenCV, JavaCPP's libraries, release dependencies, snapshot dependencies, the model, resources,
 * classes. A model that is a file rather than a resource goes with the {@code keypoints.txt} beside it, if there is
 * one.
 */
final class ImageLayers {

  static final AbsoluteUnixPath LIBTORCH = AbsoluteUnixPath.get("/opt/cvat/libtorch");
  static final AbsoluteUnixPath OPENCV = AbsoluteUnixPath.get("/opt/cvat/opencv");
  static final AbsoluteUnixPath JAVACPP = AbsoluteUnixPath.get("/opt/cvat/javacpp");
  static final AbsoluteUnixPath MODEL_DIR = AbsoluteUnixPath.get("/opt/cvat/model");
  static final AbsoluteUnixPath LIBS = AbsoluteUnixPath.get("/app/libs");
  static final AbsoluteUnixPath RESOURCES = AbsoluteUnixPath.get("/app/resources");
  static final AbsoluteUnixPath CLASSES = AbsoluteUnixPath.get("/app/classes");
  /** The entrypoint's classpath. */
  static final String CLASSPATH = RESOURCES + ":" + CLASSES + ":" + LIBS + "/*";

  private ImageLayers() {}

  static List<FileEntriesLayer> of(ImagePlan plan) throws IOException {
    List<FileEntriesLayer> layers = new ArrayList<>();
    layers.add(directory("native libraries (" + plan.flavor() + ")", plan.natives().resolve("libtorch"), LIBTORCH));
    layers.add(directory("opencv", plan.natives().resolve("opencv"), OPENCV));
    if (hasJavacppLibraries(plan)) {
      layers.add(directory("javacpp", plan.natives().resolve(NativeLibraries.JAVACPP), JAVACPP));
    }
    layers.add(jars("dependencies", plan.dependencies()));
    if (!plan.snapshotDependencies().isEmpty()) {
      layers.add(jars("snapshot dependencies", plan.snapshotDependencies()));
    }
    FileEntriesLayer.Builder model = FileEntriesLayer.builder().setName("model");
    plan.modelResource().ifPresent(r -> model.addEntry(plan.classes().resolve(r), RESOURCES.resolve(r)));
    if (plan.modelFile().isPresent()) {
      Path file = plan.modelFile().get();
      model.addEntry(file, MODEL_DIR.resolve(file.getFileName().toString()));
      // A pose model's keypoint names beside it, where the runtime looks for them as cvat:spec did.
      Path keypoints = file.resolveSibling(Skeletons.FILE);
      if (Files.isRegularFile(keypoints)) {
        model.addEntry(keypoints, MODEL_DIR.resolve(Skeletons.FILE));
      }
    }
    layers.add(model.build());

    FileEntriesLayer.Builder resources = FileEntriesLayer.builder().setName("resources");
    FileEntriesLayer.Builder classes = FileEntriesLayer.builder().setName("classes");
    Path modelPath = plan.modelResource().map(plan.classes()::resolve).orElse(null);
    try (Stream<Path> files = Files.walk(plan.classes())) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String relative = plan.classes().relativize(file).toString().replace('\\', '/');
        if (file.equals(modelPath)) {
          continue;
        }
        if (relative.endsWith(".class")) {
          classes.addEntry(file, CLASSES.resolve(relative));
        } else {
          resources.addEntry(file, RESOURCES.resolve(relative));
        }
      }
    }
    layers.add(resources.build());
    layers.add(classes.build());
    return layers;
  }

  /** Whether the extraction holds JavaCPP's libraries (a runtime that brings them). */
  static boolean hasJavacppLibraries(ImagePlan plan) throws IOException {
    Path dir = plan.natives().resolve(NativeLibraries.JAVACPP);
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.findAny().isPresent();
    }
  }

  private static FileEntriesLayer directory(String name, Path source, AbsoluteUnixPath target) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.sorted().toList()) {
        layer.addEntry(file, target.resolve(file.getFileName().toString()));
      }
    }
    return layer.build();
  }

  private static FileEntriesLayer jars(String name, List<Path> jars) {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    jars.stream().sorted().forEach(jar -> layer.addEntry(jar, LIBS.resolve(jar.getFileName().toString())));
    return layer.build();
  }
}
