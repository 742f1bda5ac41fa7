package io.fedsearch.federation.payments.userwallet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;

/**
 * How the wallet reaches its hub: over HTTP ({@code http(s)://…}, the hub's {@code /api/hub} routes) or over libp2p
 * (a {@code /ip4/…/p2p/…} multiaddr, the hub's {@code /fedsearch/hub/1.0.0} protocol). Both give answers in the
 * HTTP API's JSON shape (federation/HUB-API.md), so the wallet's rules do not depend on the transport. An
 * {@link IOException} means the outcome is unknown.
 */
public interface HubLink extends AutoCloseable {
  /** The hub's terms, as {@code GET /api/hub}. */
  HubClient.Reply terms() throws IOException;

  /** A purchase, as {@code POST /api/hub/purchases}. */
  HubClient.Reply purchase(JsonNode body) throws IOException;

  /** A request's answer, as {@code GET /api/hub/purchases/{requestId}?channel=}. */
  HubClient.Reply status(String requestId, String channel) throws IOException;

  @Override
  void close();

  /** The link for {@code address}: a multiaddr (starts with {@code /}) over libp2p, else an HTTP URL. */
  static HubLink open(String address, String hubPublicKey, Duration timeout) throws IOException {
    return address.startsWith("/") ? P2pHubLink.connect(address, hubPublicKey)
        : new HttpHubLink(new HubClient(timeout), address);
  }

  /** The hub's HTTP API. */
  record HttpHubLink(HubClient http, String url) implements HubLink {
    @Override
    public HubClient.Reply terms() throws IOException {
      return http.get(url, "/api/hub");
    }

    @Override
    public HubClient.Reply purchase(JsonNode body) throws IOException {
      return http.post(url, "/api/hub/purchases", body);
    }

    @Override
    public HubClient.Reply status(String requestId, String channel) throws IOException {
      return http.get(url, "/api/hub/purchases/" + HubClient.query(requestId) + "?channel="
          + HubClient.query(channel));
    }

    @Override
    public void close() {}
  }
}
