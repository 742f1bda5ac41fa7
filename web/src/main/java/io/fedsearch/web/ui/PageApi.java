package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.web.http.ApiException;
import io.fedsearch.web.http.Json;
import io.fedsearch.web.http.NodeViews;
import io.helidon.common.uri.UriQuery;
import java.util.function.Supplier;

/**
 * The node as the pages read it: its API's views ({@link NodeViews}), called in process — a page shows exactly what
 * the API serves (same shapes, same refusals) without an HTTP call back to its own node. A refusal comes back as a
 * {@link Reply} with the API's status and error, which the page renders.
 */
final class PageApi {
  /** A reply: status and JSON body. */
  record Reply(int status, JsonNode json) {
    boolean ok() {
      return status / 100 == 2 && json != null;
    }

    /** The node serves no such thing (a feature it does not have). */
    boolean noRoute() {
      return status == 404 && (json == null || "no_route".equals(json.at("/error/code").asText()));
    }

    /** The API's error code ({@code error.code}), or "". */
    String code() {
      return json == null ? "" : json.at("/error/code").asText("");
    }

    /** The API's error message, or a generic one. */
    String error() {
      if (json != null && json.at("/error/message").isTextual()) {
        return json.at("/error/message").asText();
      }
      return "the node answered " + status;
    }
  }

  private final NodeViews views;

  PageApi(NodeViews views) {
    this.views = views;
  }

  /** A search with the parameters of {@code query} (an encoded query string, as the API takes them). */
  Reply search(String query) {
    return call(() -> views.search(UriQuery.create(query)));
  }

  Reply node() {
    return call(views::node);
  }

  Reply peers() {
    return call(views::peers);
  }

  Reply budget() {
    return call(views::budget);
  }

  Reply creator(String name, int history) {
    return call(() -> views.creator(name, history));
  }

  Reply verifyAttestation(String pasted) {
    return call(() -> views.verifyAttestation(pasted));
  }

  Reply entry(String cid) {
    return call(() -> views.entry(cid));
  }

  Reply wallet() {
    return call(views::wallet);
  }

  /** Admin views: only for pages that checked the visitor is the admin. */
  Reply channels() {
    return call(views::channels);
  }

  Reply payouts() {
    return call(() -> views.payouts(100));
  }

  Reply outbox() {
    return call(views::outbox);
  }

  Reply submitOutbox() {
    return call(views::submitOutbox);
  }

  Reply economics(int days) {
    return call(() -> views.economics(days));
  }

  private static Reply call(Supplier<? extends JsonNode> view) {
    try {
      return new Reply(200, view.get());
    } catch (ApiException e) {
      return new Reply(e.status(), Json.error(e.status(), e.code(), e.getMessage()));
    }
  }
}
