/**
 * The user's wallet (issue 21): one XRPL account and one payment channel to a hub pay every platform. Keys stay in
 * the wallet directory ({@link io.fedsearch.federation.payments.userwallet.WalletVault}, Tink, mode 600); claims only
 * ever rise ({@link io.fedsearch.federation.payments.userwallet.WalletState}, floor durable before signing); a
 * purchase is durable as pending before it is sent and resolved with the hub after a crash
 * ({@link io.fedsearch.federation.payments.userwallet.HubPurchases}); per-platform receipt keys are derived from the
 * seed ({@link io.fedsearch.federation.payments.userwallet.ReceiptKeys}); the wallet moves between machines as one
 * file ({@link io.fedsearch.federation.payments.userwallet.WalletExport}). The CLI is {@code web.cli.wallet}.
 */
package io.fedsearch.federation.payments.userwallet;
