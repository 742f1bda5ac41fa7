package io.fedsearch.federation.p2p.mss;

import io.fedsearch.federation.p2p.wire.Uvarint;
import io.fedsearch.federation.p2p.wire.WireException;
import io.fedsearch.core.cid.Varint;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.function.Predicate;

/**
 * multistream-select 1.0.0: every message is {@code uvarint(len) || utf8(text) || '\n'}. The initiator sends the
 * header and its proposal in one write without waiting (a js listener says nothing before it hears the header);
 * the responder sends its header at once.
 */
public final class Multistream {
  public static final String HEADER = "/multistream/1.0.0";
  public static final int MAX_MESSAGE = 1024;
  /** Proposals a responder answers with "na" before it gives up on the initiator. */
  public static final int MAX_PROPOSALS = 32;

  private Multistream() {}

  /** Raised when the remote answers {@code na}: the stream is still usable for another proposal. */
  public static final class UnsupportedProtocolException extends IOException {
    public UnsupportedProtocolException(String protocol) {
      super("remote does not support " + protocol);
    }
  }

  /** Proposes {@code protocol} as the initiator. */
  public static void select(InputStream in, OutputStream out, String protocol) throws IOException {
    out.write(proposalWith(protocol, new byte[0]));
    out.flush();
    awaitAccepted(in, protocol);
  }

  /** The initiator's header and proposal followed by {@code data}: one write for an optimistic select. */
  public static byte[] proposalWith(String protocol, byte[] data) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(64 + data.length);
    buf.writeBytes(message(HEADER));
    buf.writeBytes(message(protocol));
    buf.writeBytes(data);
    return buf.toByteArray();
  }

  /** Reads the listener's header and its answer to the initiator's proposal of {@code protocol}. */
  public static void awaitAccepted(InputStream in, String protocol) throws IOException {
    String header = read(in);
    if (!HEADER.equals(header)) {
      throw new WireException("multistream: unexpected header " + quote(header));
    }
    String answer = read(in);
    if ("na".equals(answer)) {
      throw new UnsupportedProtocolException(protocol);
    }
    if (!protocol.equals(answer)) {
      throw new WireException("multistream: remote answered " + quote(answer) + " to " + protocol);
    }
  }

  /**
   * Answers an initiator's proposals; returns the accepted protocol.
   *
   * @param supported which proposals to accept
   * @param listing what to answer to {@code ls}
   */
  public static String handle(InputStream in, OutputStream out, Predicate<String> supported,
      Collection<String> listing) throws IOException {
    return handle(in, out, supported, listing, p -> false).protocol();
  }

  /**
   * The protocol a responder accepted and, when its answer was deferred, the answer still to send: it must go out
   * ahead of the responder's first data (null when it was sent already).
   */
  public record Selected(String protocol, byte[] deferredAnswer) {}

  /**
   * {@link #handle(InputStream, OutputStream, Predicate, Collection)}, deferring the answer for the protocols in
   * {@code deferrable} when the initiator's first data came with its proposal (an optimistic select): that initiator
   * is not waiting for the answer to go on, so the answer can ride with the response, one write instead of two. A
   * protocol is deferrable only if its handler reads before it writes.
   */
  public static Selected handle(InputStream in, OutputStream out, Predicate<String> supported,
      Collection<String> listing, Predicate<String> deferrable) throws IOException {
    // Every initiator sends its header first, unprompted, and most send their first proposal with it. When that
    // proposal is already here, the header and the answer go out as one message (one frame instead of two);
    // otherwise the header goes out alone first, for initiators that wait for it before proposing.
    String header = read(in);
    String first = HEADER.equals(header) && in.available() > 0 ? read(in) : null;
    if (first != null && supported.test(first)) {
      ByteArrayOutputStream both = new ByteArrayOutputStream(64);
      both.writeBytes(message(HEADER));
      both.writeBytes(message(first));
      if (deferrable.test(first) && in.available() > 0) {
        return new Selected(first, both.toByteArray());
      }
      out.write(both.toByteArray());
      out.flush();
      return new Selected(first, null);
    }
    out.write(message(HEADER));
    out.flush();
    if (!HEADER.equals(header)) {
      throw new WireException("multistream: unexpected header " + quote(header));
    }
    if (first != null) {
      answerOther(first, out, listing);
    }
    for (int i = 0; i < MAX_PROPOSALS; i++) {
      String proposal = read(in);
      if (supported.test(proposal)) {
        out.write(message(proposal));
        out.flush();
        return new Selected(proposal, null);
      }
      answerOther(proposal, out, listing);
    }
    throw new WireException("multistream: more than " + MAX_PROPOSALS + " proposals");
  }

  /** Answers a proposal this side does not accept: the listing for {@code ls}, else {@code na}. */
  private static void answerOther(String proposal, OutputStream out, Collection<String> listing) throws IOException {
    if ("ls".equals(proposal)) {
      ByteArrayOutputStream list = new ByteArrayOutputStream();
      for (String p : listing) {
        list.writeBytes(message(p));
      }
      list.write('\n');
      byte[] body = list.toByteArray();
      ByteArrayOutputStream framed = new ByteArrayOutputStream();
      Varint.write(body.length, framed);
      framed.writeBytes(body);
      out.write(framed.toByteArray());
    } else {
      out.write(message("na"));
    }
    out.flush();
  }

  static byte[] message(String text) {
    byte[] utf8 = (text + "\n").getBytes(StandardCharsets.UTF_8);
    if (utf8.length > MAX_MESSAGE) {
      throw new IllegalArgumentException("protocol id too long: " + text.length() + " characters");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length + 2);
    Varint.write(utf8.length, out);
    out.writeBytes(utf8);
    return out.toByteArray();
  }

  /** Reads one message without its trailing newline. */
  public static String read(InputStream in) throws IOException {
    long len = Uvarint.read(in, MAX_MESSAGE);
    if (len < 0) {
      throw new EOFException("multistream: stream closed during negotiation");
    }
    byte[] buf = in.readNBytes((int) len);
    if (buf.length != len) {
      throw new EOFException("multistream: stream closed inside a message");
    }
    if (len == 0 || buf[buf.length - 1] != '\n') {
      throw new WireException("multistream: message without trailing newline");
    }
    return new String(buf, 0, buf.length - 1, StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    return "\"" + (s.length() > 64 ? s.substring(0, 64) + "…" : s) + "\"";
  }
}
