package io.fedsearch.web.node;

/** A node's configuration is wrong: {@link #key()} names the setting, the message says what it must be. */
public final class InvalidNodeConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public InvalidNodeConfigException(String key, String why) {
    super(key + ": " + why);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
