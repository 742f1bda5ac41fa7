package io.fedsearch.web.cli.wallet;

import picocli.CommandLine.Command;

/**
 * {@code fedsearch wallet …}: the user's own wallet (its keys never leave the user's machine): one XRPL account, one
 * payment channel to a hub, receipts and credit notes, per-platform receipt keys, a DID, export and import. The
 * model is {@code io.fedsearch.federation.payments.userwallet}; these commands parse options and print.
 */
@Command(name = "wallet", mixinStandardHelpOptions = true,
    description = "Your wallet: one XRPL account and one channel to a hub pays every platform.",
    subcommands = {InitCommand.class, ShowCommand.class, OpenCommand.class, FundCommand.class, CloseCommand.class,
        BuyCommand.class, ReceiptsCommand.class, ProveCommand.class, DidCommand.class, SubmitCommand.class,
        ExportCommand.class, ImportCommand.class})
public final class WalletCommand {}
