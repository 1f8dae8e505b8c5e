package io.cvatfunction.maven.nuclio;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in anything the plugin prints of nuctl: command lines, nuctl's output and failure messages.
 * nuctl itself takes no registry credentials (the local platform pulls with Docker's own login, Kubernetes
 * with the cluster's pull secret), so credentials can only arrive inside values a user or a CI job passes
 * along: a password in a URL, or a {@code NAME=value} whose name says it is secret. nuctl still receives the
 * real value; only what is shown is masked.
 */
public final class Redactor {

  /** What a masked value is replaced with. */
  public static final String MASK = "****";

  // scheme://user:password@host -> scheme://user:****@host
  private static final Pattern URL_USERINFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/@\\s:]*:)([^/@\\s]+)@");
  // PASSWORD=x, registry_token: x, "secret":"x"; the name must end in a secret word so that e.g. --file=x is kept
  private static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
      "(?i)(\"?[a-z0-9_.-]*(?:password|passwd|passphrase|secret|token|apikey|api_key|credentials?)\"?\\s*[=:]\\s*\"?)"
          + "([^\\s\",}&]+)");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[a-z0-9._~+/=-]{8,}");

  /** Returns {@code text} with every credential it recognises replaced by {@link #MASK}. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = URL_USERINFO.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
    masked = SECRET_ASSIGNMENT.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    return BEARER.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + MASK));
  }
}
