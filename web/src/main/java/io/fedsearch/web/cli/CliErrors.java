package io.fedsearch.web.cli;

import picocli.CommandLine;

/** Prints a failure as one clear line (no stack trace) and maps it to exit code 1; FEDSEARCH_DEBUG=1 shows traces. */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    if (System.getenv("FEDSEARCH_DEBUG") != null) {
      ex.printStackTrace(cmd.getErr());
    }
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    cmd.getErr().println("fedsearch " + cmd.getCommandName() + ": " + message);
    return 1;
  }
}
