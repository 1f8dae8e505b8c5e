package io.cvatfunction.maven.annotate;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Where {@code cvat:annotate} finds CVAT credentials, first that wins: the {@code settings.xml} server whose id is
 * the CVAT host ({@code host:port}, then {@code host}), its password decrypted as Maven does — with a
 * {@code <username>} a user name and password, without one an access token — else the environment's
 * {@code CVAT_ACCESS_TOKEN}, or {@code CVAT_USERNAME} and {@code CVAT_PASSWORD}. They reach the annotating JVM
 * through its environment, never its command line or the log.
 */
public final class AnnotateCredentials {

  static final String TOKEN = "CVAT_ACCESS_TOKEN";
  static final String USERNAME = "CVAT_USERNAME";
  static final String PASSWORD = "CVAT_PASSWORD";

  private AnnotateCredentials() {}

  /**
   * The environment variables that carry the credentials to the annotating JVM; each of the three names is set,
   * those not used to an empty value, so none is inherited by mistake.
   *
   * @param url CVAT's address, whose host names the settings.xml server
   * @param env this process's environment
   * @param warnings where a password that cannot be decrypted is reported
   * @throws IllegalArgumentException when there are no credentials, saying where to put them
   */
  public static Map<String, String> resolve(URI url, Settings settings, SettingsDecrypter decrypter,
      Map<String, String> env, Consumer<String> warnings) {
    Optional<Server> server = server(url, settings);
    if (server.isPresent()) {
      Server plain = decrypt(server.get(), decrypter, warnings);
      String password = plain.getPassword();
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("settings.xml server '" + plain.getId() + "' has no password: give it "
            + "<password> (an access token, or with <username> the user's password)");
      }
      String username = plain.getUsername();
      return username == null || username.isBlank()
          ? variables(password, "", "")
          : variables("", username.trim(), password);
    }
    String token = env.getOrDefault(TOKEN, "");
    String username = env.getOrDefault(USERNAME, "");
    String password = env.getOrDefault(PASSWORD, "");
    if (!token.isBlank()) {
      return variables(token, "", "");
    }
    if (!username.isBlank() && !password.isEmpty()) {
      return variables("", username, password);
    }
    throw new IllegalArgumentException("no CVAT credentials for " + url.getHost() + ": add a <server> with <id>"
        + url.getHost() + "</id> to settings.xml (<password> an access token, or <username> and <password>; "
        + "encrypt it with mvn --encrypt-password), or set " + TOKEN + ", or " + USERNAME + " and " + PASSWORD);
  }

  private static Optional<Server> server(URI url, Settings settings) {
    String host = url.getHost();
    for (String id : url.getPort() > 0 ? List.of(host + ":" + url.getPort(), host) : List.of(host)) {
      Server server = settings.getServer(id);
      if (server != null) {
        return Optional.of(server);
      }
    }
    return Optional.empty();
  }

  private static Server decrypt(Server server, SettingsDecrypter decrypter, Consumer<String> warnings) {
    SettingsDecryptionResult decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    for (SettingsProblem problem : decrypted.getProblems()) {
      if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
        throw new IllegalArgumentException("settings.xml server '" + server.getId() + "': its password cannot be "
            + "decrypted (" + problem.getMessage() + "); check settings-security.xml");
      }
      warnings.accept("settings.xml server " + server.getId() + ": " + problem.getMessage());
    }
    return decrypted.getServer();
  }

  private static Map<String, String> variables(String token, String username, String password) {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put(TOKEN, token);
    variables.put(USERNAME, username);
    variables.put(PASSWORD, password);
    return variables;
  }
}
