package io.fedsearch.web;

import io.fedsearch.web.cli.FedsearchCommand;
import picocli.CommandLine;

/** Entry point of the runnable jar: the {@code fedsearch} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(FedsearchCommand.commandLine().execute(args));
  }
}
