package io.fedsearch.privacy.release;

/** The noise family of a release; decides how its budget is accounted. */
public enum Mechanism {
  /** Discrete Laplace noise: pure ε-DP per released value set, composed by adding ε. */
  LAPLACE("laplace"),
  /** Discrete Gaussian noise: ρ-zCDP, composed by adding ρ and converted to (ε, δ) for the budget. */
  GAUSSIAN("gaussian");

  private final String wireName;

  Mechanism(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Mechanism parse(String name) {
    for (Mechanism m : values()) {
      if (m.wireName.equalsIgnoreCase(name == null ? "" : name.trim())) {
        return m;
      }
    }
    throw new InvalidPrivacyConfigException(
        ReleaseConfig.KEY_MECHANISM, "must be \"laplace\" or \"gaussian\" (got \"" + name + "\")");
  }
}
