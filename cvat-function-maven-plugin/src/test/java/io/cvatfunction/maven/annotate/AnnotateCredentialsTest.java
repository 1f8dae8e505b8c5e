package io.cvatfunction.maven.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvatfunction.maven.FakeDecrypter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsProblem;
import org.apache.maven.settings.building.SettingsProblem;
import org.junit.jupiter.api.Test;

/** Credentials as users keep them: a settings.xml server named by the CVAT host, decrypted, else the environment. */
class AnnotateCredentialsTest {

  private static final URI CVAT = URI.create("https://cvat.example.com");
  private final Settings settings = new Settings();
  private final List<String> warnings = new ArrayList<>();

  private void server(String id, String username, String password) {
    Server server = new Server();
    server.setId(id);
    server.setUsername(username);
    server.setPassword(password);
    settings.addServer(server);
  }

  private Map<String, String> resolve(URI url, Map<String, String> env) {
    return AnnotateCredentials.resolve(url, settings, FakeDecrypter.reporting(List.of()), env, warnings::add);
  }

  @Test
  void aServerWithoutUsernameHoldsAnAccessTokenDecrypted() {
    server("cvat.example.com", null, "{encrypted}-token");
    assertEquals(Map.of("CVAT_ACCESS_TOKEN", "decrypted-token", "CVAT_USERNAME", "", "CVAT_PASSWORD", ""),
        resolve(CVAT, Map.of("CVAT_ACCESS_TOKEN", "from-env")));
  }

  @Test
  void aServerWithUsernameHoldsAPasswordAndHostPortWinsOverHost() {
    server("cvat.example.com", "other", "x");
    server("cvat.example.com:8080", "annotator", "{encrypted}");
    assertEquals(Map.of("CVAT_ACCESS_TOKEN", "", "CVAT_USERNAME", "annotator", "CVAT_PASSWORD", "decrypted"),
        resolve(URI.create("http://cvat.example.com:8080"), Map.of()));
  }

  @Test
  void theEnvironmentIsUsedWithoutAServer() {
    assertEquals("env-token", resolve(CVAT, Map.of("CVAT_ACCESS_TOKEN", "env-token")).get("CVAT_ACCESS_TOKEN"));
    assertEquals("pw", resolve(CVAT, Map.of("CVAT_USERNAME", "u", "CVAT_PASSWORD", "pw")).get("CVAT_PASSWORD"));
    String message = assertThrows(IllegalArgumentException.class, () -> resolve(CVAT, Map.of())).getMessage();
    assertTrue(message.contains("<id>cvat.example.com</id>") && message.contains("CVAT_ACCESS_TOKEN"), message);
  }

  @Test
  void aPasswordThatCannotBeDecryptedIsAnErrorThatShowsNoSecret() {
    server("cvat.example.com", null, "{encrypted}");
    SettingsProblem problem = new DefaultSettingsProblem("master password missing", SettingsProblem.Severity.ERROR,
        "settings-security.xml", -1, -1, null);
    String message = assertThrows(IllegalArgumentException.class, () -> AnnotateCredentials.resolve(CVAT, settings,
        FakeDecrypter.reporting(List.of(problem)), Map.of(), warnings::add)).getMessage();
    assertTrue(message.contains("cannot be decrypted (master password missing)"), message);
    assertFalse(message.contains("decrypted}"));
  }

  @Test
  void theCommandLineCarriesTheParametersAndNoCredential() {
    server("cvat.example.com", null, "secret-token-42");
    AnnotateLaunch launch = new AnnotateLaunch("https://cvat.example.com", 42, "0-99", 0.4f, true, true, false, "lab",
        "gpu", false);
    List<String> command = launch.command(Path.of("java"), List.of("-Xmx4g"), List.of("a.jar", "b.jar"),
        "com.example.Detector", Optional.empty(), Path.of("target"));
    assertEquals(List.of("java", "-Xmx4g", "-Dcvat.handler=com.example.Detector", "-Dcvat.device=gpu", "-cp",
        "a.jar" + java.io.File.pathSeparator + "b.jar", "io.cvatfunction.runtime.server.FunctionServer", "annotate",
        "--url", "https://cvat.example.com", "--task", "42", "--frames", "0-99", "--threshold", "0.4",
        "--clear-existing", "--allow-unmatched-labels", "--org", "lab", "--resume",
        Path.of("target", "cvat", "annotate-42.resume").toString()), command);
    resolve(CVAT, Map.of());
    assertFalse(String.join(" ", command).contains("secret-token-42"));
  }

  @Test
  void parametersAreCheckedByName() {
    assertMessage(new AnnotateLaunch(null, 1, null, null, false, false, false, null, "auto", false),
        "cvat.annotate.url is not set");
    assertMessage(new AnnotateLaunch("https://c", 0, null, null, false, false, false, null, "auto", false),
        "cvat.annotate.task must be the task's id");
    assertMessage(new AnnotateLaunch("https://c", 1, null, 1.5f, false, false, false, null, "auto", false),
        "cvat.annotate.threshold must be in [0, 1]");
    assertMessage(new AnnotateLaunch("https://c", 1, null, null, false, false, false, null, "tpu", false),
        "cvat.annotate.device must be auto, cpu, gpu or gpu:N");
    assertMessage(new AnnotateLaunch("https://c", 1, null, null, true, false, false, null, "auto", true),
        "cvat.annotate.dryRun uploads nothing");
  }

  private static void assertMessage(AnnotateLaunch launch, String expected) {
    String message = assertThrows(IllegalArgumentException.class, () -> launch.command(Path.of("java"), List.of(),
        List.of(), "X", Optional.empty(), Path.of("target"))).getMessage();
    assertTrue(message.contains(expected), message);
  }

  @Test
  void theChildsLinesKeepTheirLevels() {
    List<String> seen = new ArrayList<>();
    AnnotateProcess.Log log = new AnnotateProcess.Log() {
      @Override
      public void info(String line) {
        seen.add("info " + line);
      }

      @Override
      public void warn(String line) {
        seen.add("warn " + line);
      }

      @Override
      public void error(String line) {
        seen.add("error " + line);
      }
    };
    AnnotateProcess.route("[####] 1/2 frames", log);
    AnnotateProcess.route("WARNING could not upload", log);
    AnnotateProcess.route("cvat:annotate: task 9 does not exist", log);
    assertEquals(List.of("info [####] 1/2 frames", "warn WARNING could not upload",
        "error cvat:annotate: task 9 does not exist"), seen);
  }
}
