package io.cvatfunction.maven.spec;

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** A project's classes directory made for a test: sources compiled with javac against the runtime, plus models. */
public final class CompiledProject {

  public final Path classes;
  public final Path runtimeJar;

  public CompiledProject(Path dir) throws URISyntaxException, IOException {
    this.classes = Files.createDirectories(dir.resolve("classes"));
    this.runtimeJar = Path.of(CvatFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Compiles {@code sources} (class name → source) into the classes directory. */
  public CompiledProject compile(Map<String, String> sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach((name, code) -> units.add(new SimpleJavaFileObject(
        URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return code;
      }
    }));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean ok = javac.getTask(null, null, diagnostics,
        List.of("-classpath", runtimeJar.toString(), "-d", classes.toString(), "-proc:none"), null, units).call();
    if (!ok) {
      throw new IllegalStateException("compilation failed: " + diagnostics.getDiagnostics());
    }
    return this;
  }

  /** Copies the real shapes YOLOv8n model to {@code classes/<resource>}. */
  public CompiledProject withShapesModel(String resource) throws IOException {
    return withModel(resource, "shapes-yolov8n");
  }

  /** Copies the fixture model {@code fixtures/models/<fixture>.torchscript} to {@code classes/<resource>}. */
  public CompiledProject withModel(String resource, String fixture) throws IOException {
    Path file = classes.resolve(resource);
    Files.createDirectories(file.getParent());
    Files.write(file, Fixtures.resource("fixtures/models/" + fixture + ".torchscript"));
    return this;
  }

  /** Writes a text file into the classes directory, as a resource of the project: e.g. a keypoints.txt. */
  public CompiledProject withResource(String resource, String text) throws IOException {
    Path file = classes.resolve(resource);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return this;
  }

  /** Writes a zip holding only TorchScript's metadata entry, for a model of another task. */
  CompiledProject withMetadataOnlyModel(String resource, String configJson) throws IOException {
    Path file = classes.resolve(resource);
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("model/extra/config.txt"));
      zip.write(configJson.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return this;
  }

  SpecGenerator generator() {
    return new SpecGenerator(classes, runtimeJar, classes.getParent(), "nuclio");
  }
}
