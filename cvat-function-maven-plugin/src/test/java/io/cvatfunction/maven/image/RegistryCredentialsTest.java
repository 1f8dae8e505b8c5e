package io.cvatfunction.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import io.cvatfunction.maven.FakeDecrypter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsProblem;
import org.apache.maven.settings.building.SettingsProblem;
import org.junit.jupiter.api.Test;

/** settings.xml servers named by the registry host, decrypted as Maven does, before Docker's own credentials. */
class RegistryCredentialsTest {

  private final Settings settings = new Settings();
  private final List<LogEvent> log = new ArrayList<>();

  private static Server server(String id, String username, String password) {
    Server server = new Server();
    server.setId(id);
    server.setUsername(username);
    server.setPassword(password);
    return server;
  }

  @Test
  void theServerNamedByTheRegistryHostComesFirstDecrypted() throws Exception {
    settings.addServer(server("registry.example.com:5000", "ci-bot", "{encrypted}"));
    RegistryCredentials credentials = new RegistryCredentials(settings, FakeDecrypter.reporting(List.of()), log::add);

    List<CredentialRetriever> retrievers =
        credentials.apply(ImageReference.parse("registry.example.com:5000/team/balls:1.0"));
    assertEquals(3, retrievers.size(), "settings.xml, then Docker's config, then its credential helpers");
    assertEquals(Optional.of(Credential.from("ci-bot", "decrypted")), retrievers.get(0).retrieve());
    assertEquals(2, credentials.apply(ImageReference.parse("other.example.com/team/balls:1.0")).size(),
        "no server for that registry: Docker's credentials only");
    assertEquals(List.of(), log);
  }

  @Test
  void aServerWithoutUserOrPasswordOrThatCannotBeDecryptedGivesNoCredential() {
    settings.addServer(server("registry.example.com", "ci-bot", null));
    settings.addServer(server("broken.example.com", "ci-bot", "{encrypted}"));
    RegistryCredentials credentials = new RegistryCredentials(settings, FakeDecrypter.reporting(List.of(new DefaultSettingsProblem(
        "cannot decrypt the password", SettingsProblem.Severity.ERROR, "settings.xml", -1, -1, null))), log::add);

    assertEquals(Optional.empty(), credentials.fromSettings("registry.example.com"));
    assertEquals(Optional.empty(), credentials.fromSettings("broken.example.com"));
    String notUsed = ": cannot decrypt the password; its credentials are not used, Docker's are tried";
    assertEquals(List.of(LogEvent.warn("settings.xml server registry.example.com" + notUsed),
        LogEvent.warn("settings.xml server broken.example.com" + notUsed)), log);
    assertEquals(Optional.empty(), credentials.fromSettings("unknown.example.com"));
  }

  @Test
  void aDecryptionWarningKeepsTheCredential() {
    settings.addServer(server("registry.example.com", "ci-bot", "{encrypted}"));
    RegistryCredentials credentials = new RegistryCredentials(settings, FakeDecrypter.reporting(List.of(new DefaultSettingsProblem(
        "old cipher", SettingsProblem.Severity.WARNING, "settings.xml", -1, -1, null))), log::add);

    assertEquals(Optional.of(Credential.from("ci-bot", "decrypted")), credentials.fromSettings("registry.example.com"));
    assertEquals(List.of(LogEvent.warn("settings.xml server registry.example.com: old cipher")), log);
  }
}
