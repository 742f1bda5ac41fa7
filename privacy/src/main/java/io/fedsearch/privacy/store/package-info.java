/** The node's {@code privacy.db} (SQLite, WAL, synchronous=FULL) shared by records, ledger and releases. */
package io.fedsearch.privacy.store;
