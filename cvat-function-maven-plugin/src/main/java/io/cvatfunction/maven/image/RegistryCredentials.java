package io.cvatfunction.maven.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Where {@link ImageBuilder} finds a registry's credentials, first that wins: the {@code settings.xml} server whose
 * id is the registry host (its password decrypted as Maven does), then Docker's config and its credential helpers,
 * as {@code docker login} left them.
 */
public final class RegistryCredentials implements Function<ImageReference, List<CredentialRetriever>> {

  private final Settings settings;
  private final SettingsDecrypter decrypter;
  private final Consumer<LogEvent> log;

  /**
   * @param settings Maven's settings, with the servers of {@code settings.xml}
   * @param decrypter decrypts the servers' passwords ({@code settings-security.xml})
   * @param log where a server that cannot be decrypted is reported, and jib's credential lookups
   */
  public RegistryCredentials(Settings settings, SettingsDecrypter decrypter, Consumer<LogEvent> log) {
    this.settings = settings;
    this.decrypter = decrypter;
    this.log = log;
  }

  @Override
  public List<CredentialRetriever> apply(ImageReference image) {
    List<CredentialRetriever> retrievers = new ArrayList<>();
    fromSettings(image.getRegistry()).ifPresent(credential -> retrievers.add(() -> Optional.of(credential)));
    CredentialRetrieverFactory factory = CredentialRetrieverFactory.forImage(image, log);
    retrievers.add(factory.dockerConfig());
    retrievers.add(factory.wellKnownCredentialHelpers());
    return retrievers;
  }

  /** The user name and decrypted password of server {@code registry} in {@code settings.xml}, when it has both. */
  Optional<Credential> fromSettings(String registry) {
    Server server = settings.getServer(registry);
    if (server == null) {
      return Optional.empty();
    }
    SettingsDecryptionResult decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    boolean failed = false;
    for (SettingsProblem problem : decrypted.getProblems()) {
      // A password that could not be decrypted is left encrypted: logging in with it would only fail, and would
      // keep Docker's credentials from being tried.
      boolean error = problem.getSeverity() != SettingsProblem.Severity.WARNING;
      failed |= error;
      log.accept(LogEvent.warn("settings.xml server " + server.getId() + ": " + problem.getMessage()
          + (error ? "; its credentials are not used, Docker's are tried" : "")));
    }
    Server plain = failed ? null : decrypted.getServer();
    if (plain == null || plain.getUsername() == null || plain.getPassword() == null) {
      return Optional.empty();
    }
    return Optional.of(Credential.from(plain.getUsername(), plain.getPassword()));
  }
}
