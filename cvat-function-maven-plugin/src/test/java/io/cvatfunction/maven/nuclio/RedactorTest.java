package io.cvatfunction.maven.nuclio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What is masked in printed commands and nuctl output, and what is left alone. */
class RedactorTest {

  private final Redactor redactor = new Redactor();

  @Test
  void masksPasswordsInUrls() {
    assertEquals("--registry https://ci:****@registry.example.com:5000/team",
        redactor.redact("--registry https://ci:s3cr3t@registry.example.com:5000/team"));
    assertEquals("pull from http://:****@host", redactor.redact("pull from http://:tok@host"));
  }

  @Test
  void masksValuesOfSecretNames() {
    assertEquals("-e REGISTRY_PASSWORD=**** -e HF_TOKEN=**** -e MODEL=yolo",
        redactor.redact("-e REGISTRY_PASSWORD=pa55 -e HF_TOKEN=hf_abc -e MODEL=yolo"));
    assertEquals("{\"password\":\"****\",\"user\":\"ci\"}", redactor.redact("{\"password\":\"pa55\",\"user\":\"ci\"}"));
    assertEquals("secret: ****", redactor.redact("secret: hunter2"));
    assertEquals("Authorization: Bearer ****", redactor.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc"));
  }

  @Test
  void leavesOrdinaryCommandsAlone() {
    String command = "nuctl deploy shapes-detector --run-image registry.example.com:5000/shapes-detector@sha256:"
        + "3f1c6b2e9a0d4c5b8e7f6a5d4c3b2a1908f7e6d5c4b3a29181706f5e4d3c2b1a --platform-config "
        + "'{\"attributes\":{\"network\":\"cvat_cvat\"}}' --readiness-timeout 300 --tokenizer=bpe";
    assertEquals(command, redactor.redact(command));
    assertEquals("http://localhost:32768", redactor.redact("http://localhost:32768"));
  }
}
