package io.fedsearch.web.cli;

import picocli.CommandLine.Option;

/** {@code --json}: print machine-readable JSON instead of text (every command that prints data has it). */
public final class JsonOption {
  @Option(names = "--json", description = "Print JSON instead of text.")
  private boolean json;

  public boolean json() {
    return json;
  }
}
