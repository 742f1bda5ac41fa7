package io.fedsearch.federation.payments.userwallet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A hub's signed statement about the user's channel (a {@code hub_ack} with a delivered purchase, a
 * {@code credit_note} with a refused one): what the hub holds as {@code authorised} (best verified claim) and
 * {@code consumed} (delivered purchases). The wallet checks it names this channel and this hub's key before its
 * figures move anything.
 */
record HubStatement(String channel, long authorised, long consumed, String publicKey) {

  static HubStatement parse(JsonNode n, WalletState s) {
    JsonNode body = n.has("statement") ? n.path("statement") : n;
    if (!body.path("authorised").canConvertToLong() || !body.path("consumed").canConvertToLong()) {
      throw new IllegalStateException("hub statement without authorised/consumed figures: " + n);
    }
    HubStatement st = new HubStatement(body.path("channel").asText(""), body.path("authorised").asLong(),
        body.path("consumed").asLong(), n.path("public_key").asText(body.path("public_key").asText("")));
    if (!st.channel.equalsIgnoreCase(s.channel.id)) {
      throw new IllegalStateException("hub statement names channel " + st.channel + ", not " + s.channel.id);
    }
    if (s.hub.publicKey != null && !s.hub.publicKey.isEmpty() && !s.hub.publicKey.equalsIgnoreCase(st.publicKey)) {
      throw new IllegalStateException("hub statement signed by " + st.publicKey + ", not the hub's key");
    }
    if (st.consumed < 0 || st.authorised < 0 || st.authorised > s.channel.amount) {
      throw new IllegalStateException("hub statement figures out of range: " + st);
    }
    return st;
  }
}
