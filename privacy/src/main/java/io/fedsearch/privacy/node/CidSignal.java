package io.fedsearch.privacy.node;

/** One node's released signal for one CID: from that node's latest verified release. */
public record CidSignal(String nodeKey, long epoch, String cid, long noisyPayers, long noisySum) {}
