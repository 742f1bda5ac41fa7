package io.fedsearch.privacy.release;

/** A privacy setting is out of range or unparsable; the message names the setting. */
public final class InvalidPrivacyConfigException extends IllegalArgumentException {
  private final String setting;

  public InvalidPrivacyConfigException(String setting, String problem) {
    super(setting + " " + problem);
    this.setting = setting;
  }

  /** The configuration key that is wrong, e.g. {@code privacy.epsilon}. */
  public String setting() {
    return setting;
  }
}
