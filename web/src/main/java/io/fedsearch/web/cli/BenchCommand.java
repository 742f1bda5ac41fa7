package io.fedsearch.web.cli;

import picocli.CommandLine.Command;

/** {@code fedsearch bench …}: benchmarks that print their figures (JSON with --json). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark and print its figures.",
    subcommands = {
      BenchIndexerCommand.class,
      BenchP2pCommand.class,
      BenchDpCommand.class,
      BenchReputationCommand.class,
      BenchPayoutsCommand.class,
      BenchFederationCommand.class,
      BenchHostileCommand.class,
    })
public final class BenchCommand {}
