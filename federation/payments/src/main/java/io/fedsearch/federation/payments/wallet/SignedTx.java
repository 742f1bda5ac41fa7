package io.fedsearch.federation.payments.wallet;

import org.xrpl.xrpl4j.model.transactions.Transaction;

/** A transaction with its TxnSignature, its signed blob (hex, upper case) and its ledger hash. */
public record SignedTx<T extends Transaction>(T transaction, String blob, String hash) {}
