package io.cvatfunction.maven;

import java.util.List;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** A settings decrypter for tests: {@code {encrypted}} in a password decrypts to {@code decrypted}. */
public final class FakeDecrypter {

  private FakeDecrypter() {}

  /** Decrypts as Maven's decrypter would, reporting {@code problems}. */
  public static SettingsDecrypter reporting(List<SettingsProblem> problems) {
    return request -> {
      Server server = request.getServers().get(0).clone();
      server.setPassword(server.getPassword() == null ? null : server.getPassword().replace("{encrypted}", "decrypted"));
      return new SettingsDecryptionResult() {
        @Override
        public Server getServer() {
          return server;
        }

        @Override
        public List<Server> getServers() {
          return List.of(server);
        }

        @Override
        public Proxy getProxy() {
          return null;
        }

        @Override
        public List<Proxy> getProxies() {
          return List.of();
        }

        @Override
        public List<SettingsProblem> getProblems() {
          return problems;
        }
      };
    };
  }
}
