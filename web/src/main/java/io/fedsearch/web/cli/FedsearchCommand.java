package io.fedsearch.web.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root command. Each subcommand is one class in this package; commands that print data take {@code --json}.
 * Domain work lives in the modules; commands parse options, call a module and print.
 */
@Command(
    name = "fedsearch",
    mixinStandardHelpOptions = true,
    version = "fedsearch 0.1.0",
    description = "Federated discovery and reputation network.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      NodeCommand.class,
      ImportCommand.class,
      SearchCommand.class,
      CidCommand.class,
      P2pCommand.class,
      ReputationCommand.class,
      io.fedsearch.web.cli.wallet.WalletCommand.class,
      ChannelsCommand.class,
      PayoutsCommand.class,
      OutboxCommand.class,
      BenchCommand.class,
    })
public final class FedsearchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new FedsearchCommand());
    cl.setExecutionExceptionHandler(new CliErrors());
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
