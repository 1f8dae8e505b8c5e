package io.cvatfunction.maven.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The label ids of config.txt, read as the runtime's ModelMetadata reads them: ids 0..n-1, no gaps. */
class ModelInfoTest {

  @TempDir
  Path dir;

  @Test
  void readsNamesByIdInIdOrder() throws IOException {
    ModelInfo info = ModelInfo.read(torchScript("{\"task\": \"segment\", \"names\": {\"1\": \"b\", \"0\": \"a\"}}"));
    assertEquals(List.of("a", "b"), info.names());
    assertEquals("segment", info.task());
  }

  @Test
  void refusesAGapInTheIdsAsTheRuntimeDoes() throws IOException {
    Path model = torchScript("{\"names\": {\"0\": \"a\", \"2\": \"c\"}}");
    IOException e = assertThrows(IOException.class, () -> ModelInfo.read(model));
    assertTrue(e.getMessage().contains("config.txt names skips class id 1, so the runtime would refuse this model"),
        e.getMessage());
  }

  private Path torchScript(String config) throws IOException {
    Path file = dir.resolve("model.torchscript");
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("model/extra/config.txt"));
      zip.write(config.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return file;
  }
}
