package io.fedsearch.web.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi}: the OpenAPI 3 description of every {@code /api} route, kept as {@code openapi.yaml}. */
public final class OpenApiDocument {
  public static final String RESOURCE = "/openapi.yaml";
  private final byte[] yaml;

  public OpenApiDocument() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the jar");
      }
      this.yaml = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public void handle(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
    res.send(yaml);
  }
}
