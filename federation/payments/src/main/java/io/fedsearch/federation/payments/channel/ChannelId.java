package io.fedsearch.federation.payments.channel;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Locale;
import org.xrpl.xrpl4j.codec.addresses.AddressCodec;
import org.xrpl.xrpl4j.crypto.HashingUtils;
import org.xrpl.xrpl4j.model.transactions.Address;

/**
 * The ledger's id of a payment channel: SHA512Half(0x0078 ‖ source AccountID ‖ destination AccountID ‖ UInt32
 * sequence), where the sequence is the create transaction's Sequence (its TicketSequence when it used a ticket).
 * xrpl4j 4.0.3 has no helper for it; the formula is rippled's {@code keylet::payChan}.
 */
public final class ChannelId {
  private static final int PAYCHAN_SPACE = 0x0078;

  private ChannelId() {}

  /** The channel id as 64 upper-case hex characters. */
  public static String of(Address source, Address destination, long sequence) {
    AddressCodec codec = AddressCodec.getInstance();
    byte[] src = codec.decodeAccountId(source).toByteArray();
    byte[] dst = codec.decodeAccountId(destination).toByteArray();
    ByteBuffer buf = ByteBuffer.allocate(2 + src.length + dst.length + 4);
    buf.putShort((short) PAYCHAN_SPACE).put(src).put(dst).putInt((int) sequence);
    return HashingUtils.sha512Half(buf.array()).hexValue().toUpperCase(Locale.ROOT);
  }

  /** Normalises and checks a channel id given as hex. */
  public static String parse(String hex) {
    if (hex == null || hex.length() != 64) {
      throw new IllegalArgumentException("channel id must be 64 hex characters");
    }
    HexFormat.of().parseHex(hex);
    return hex.toUpperCase(Locale.ROOT);
  }
}
