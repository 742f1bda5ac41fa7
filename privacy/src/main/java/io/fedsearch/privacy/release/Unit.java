package io.fedsearch.privacy.release;

/**
 * What a release counts payers of. Each unit has its own contribution bounding (a payer counts toward at most L
 * keys of the unit per tree node, with at most C drops each), its own share of the budget and its own budget line.
 */
public enum Unit {
  /** Per listing CID: what ranking reads. */
  CID("cids"),
  /** Per creator (the {@link CreatorKey} of the entry's {@code creator}): what reputation reads. */
  CREATOR("creators");

  private final String wireName;

  Unit(String wireName) {
    this.wireName = wireName;
  }

  /** The field of the release holding this unit, and the {@code unit} of its budget ledger rows. */
  public String wireName() {
    return wireName;
  }

  public static Unit parse(String name) {
    for (Unit u : values()) {
      if (u.wireName.equals(name)) {
        return u;
      }
    }
    throw new IllegalArgumentException("unknown unit \"" + name + "\" (cids or creators)");
  }
}
