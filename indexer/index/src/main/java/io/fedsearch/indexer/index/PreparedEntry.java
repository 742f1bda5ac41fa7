package io.fedsearch.indexer.index;

import io.fedsearch.indexer.entry.SignedEntry;
import org.apache.lucene.document.Document;

/**
 * A signed entry with its Lucene document already built: the part of a write that needs no lock, so importers make
 * it on any thread and leave the index's single ordered writer only the write itself.
 */
public final class PreparedEntry {
  private final SignedEntry signed;
  private final String key;
  private final String cid;
  private final Document document;

  private PreparedEntry(SignedEntry signed) {
    this.signed = signed;
    this.key = signed.entry().key();
    this.cid = signed.cid().toString();
    this.document = EntryDocuments.entry(signed, key);
  }

  public static PreparedEntry of(SignedEntry signed) {
    return new PreparedEntry(signed);
  }

  public SignedEntry signed() {
    return signed;
  }

  String key() {
    return key;
  }

  String cid() {
    return cid;
  }

  Document document() {
    return document;
  }
}
