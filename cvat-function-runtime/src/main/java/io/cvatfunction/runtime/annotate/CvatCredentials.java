package io.cvatfunction.runtime.annotate;

import java.util.Map;
import java.util.Optional;

/**
 * How {@code cvat:annotate} signs in to CVAT: a personal access token (or a legacy login key), or a user name and a
 * password. Never printed: {@link #toString} names the kind only.
 */
public sealed interface CvatCredentials {

  /** The token's environment variable. */
  String TOKEN_ENV = "CVAT_ACCESS_TOKEN";
  /** The user name's environment variable. */
  String USERNAME_ENV = "CVAT_USERNAME";
  /** The password's environment variable. */
  String PASSWORD_ENV = "CVAT_PASSWORD";

  /** A personal access token, sent as {@code Bearer}; a server without them is sent it as a login key. */
  record Token(String token) implements CvatCredentials {
    /** Requires a token. */
    public Token {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("the CVAT access token is empty");
      }
      token = token.trim();
    }

    @Override
    public String toString() {
      return "an access token";
    }
  }

  /** A user name (or e-mail) and password, exchanged for a login key at {@code /api/auth/login}. */
  record Login(String username, String password) implements CvatCredentials {
    /** Requires both. */
    public Login {
      if (username == null || username.isBlank() || password == null || password.isEmpty()) {
        throw new IllegalArgumentException("a CVAT user name and password are both needed");
      }
    }

    @Override
    public String toString() {
      return "user " + username + " and a password";
    }
  }

  /**
   * The credentials in the environment: {@value #TOKEN_ENV}, else {@value #USERNAME_ENV} and {@value #PASSWORD_ENV}.
   *
   * @throws IllegalArgumentException when only one of the user name and password is set
   */
  static Optional<CvatCredentials> fromEnvironment(Map<String, String> env) {
    String token = env.get(TOKEN_ENV);
    if (token != null && !token.isBlank()) {
      return Optional.of(new Token(token));
    }
    String user = env.get(USERNAME_ENV);
    String password = env.get(PASSWORD_ENV);
    boolean hasUser = user != null && !user.isBlank();
    boolean hasPassword = password != null && !password.isEmpty();
    if (hasUser != hasPassword) {
      throw new IllegalArgumentException((hasUser ? PASSWORD_ENV : USERNAME_ENV) + " is not set but "
          + (hasUser ? USERNAME_ENV : PASSWORD_ENV) + " is: set both, or " + TOKEN_ENV + " instead");
    }
    return hasUser ? Optional.of(new Login(user.trim(), password)) : Optional.empty();
  }
}
