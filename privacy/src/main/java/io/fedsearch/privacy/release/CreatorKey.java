package io.fedsearch.privacy.release;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a creator is named in a release: {@code hex(SHA-256("fedsearch/creator/v1\n" ‖ UTF-8(creator)))}, 64 lowercase
 * hex characters, where {@code creator} is the entry's {@code creator} field exactly as signed. A fixed-length ASCII
 * token keeps the release's canonical form free of escaping whatever the name holds; anyone who knows a creator's
 * name (it is in every signed entry) computes the same key with {@link #of}.
 */
public final class CreatorKey {
  public static final String DOMAIN = "fedsearch/creator/v1\n";
  private static final byte[] DOMAIN_BYTES = DOMAIN.getBytes(StandardCharsets.UTF_8);

  private CreatorKey() {}

  /** The key of the creator named {@code creator} (non-blank: an entry without a creator has no creator row). */
  public static String of(String creator) {
    if (creator == null || creator.isBlank()) {
      throw new IllegalArgumentException("a creator key needs a non-blank creator name");
    }
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(DOMAIN_BYTES);
      return HexFormat.of().formatHex(md.digest(creator.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** True for 64 lowercase hex characters. */
  public static boolean isKey(String s) {
    if (s == null || s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
