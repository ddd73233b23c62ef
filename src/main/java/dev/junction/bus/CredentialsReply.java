package dev.junction.bus;

/**
 * The OAuth verticle's answer to a {@link CredentialsRequest} or a {@link RefreshCredentials}:
 * the credentials, or why there are none.
 *
 * @param credentials the headers to send upstream (secrets), or null when refused
 * @param refusal why no credentials could be had, in words that name no secret (a client may read
 *     them in the upstream's error), or null when granted
 */
public record CredentialsReply(Credentials credentials, String refusal) implements BusMessage {
  public CredentialsReply {
    if ((credentials == null) == (refusal == null)) {
      throw new IllegalArgumentException("either credentials or a refusal");
    }
  }

  /** The credentials to use. */
  public static CredentialsReply granted(Credentials credentials) {
    return new CredentialsReply(credentials, null);
  }

  /** No credentials, and why. */
  public static CredentialsReply refused(String refusal) {
    return new CredentialsReply(null, refusal);
  }

  public boolean isGranted() {
    return credentials != null;
  }
}
