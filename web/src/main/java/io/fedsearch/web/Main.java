package io.fedsearch.web;

import io.fedsearch.web.cli.FedsearchCommand;
import io.fedsearch.web.node.FatalErrors;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;

/** Entry point of the runnable jar: the {@code fedsearch} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    FatalErrors.install();
    configureLogging();
    System.exit(FedsearchCommand.commandLine().execute(args));
  }

  /** The jar's logging.properties, unless the user points java.util.logging elsewhere. */
  private static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    try (InputStream in = Main.class.getResourceAsStream("/logging.properties")) {
      if (in != null) {
        LogManager.getLogManager().readConfiguration(in);
      }
    } catch (IOException e) {
      System.err.println("fedsearch: default logging configuration unreadable: " + e.getMessage());
    }
  }
}
