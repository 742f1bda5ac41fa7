package io.fedsearch.web.ui;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The pages' scripts, style sheet and icon, read from the jar once and served so that a browser fetches each at
 * most once per release: pages link them as {@code /static/<name>?v=<version>} (the version is the start of the
 * file's SHA-256), and a request naming the current version is cacheable for a year and marked immutable. Any
 * other request (no version, or one from a page of an older release) must revalidate: the ETag answers it with a
 * 304 when the file has not changed.
 *
 * <p>Text files are gzipped once, at start, with the highest compression, and sent compressed to browsers that
 * accept gzip (the xrpl.js bundle: 292 KB → ~90 KB). Helidon's own content encoding would compress every response
 * again; these files never change while the node runs, so they are compressed once by the JDK's {@code GZIPOutputStream}.
 */
public final class StaticAssets {
  /** Long enough to tell releases apart, short enough for a URL: 48 bits of the SHA-256. */
  private static final int VERSION_HEX = 12;
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final String REVALIDATE = "no-cache";

  private record Asset(String type, byte[] body, byte[] gzipped, String version) {
    String etag(boolean gzip) {
      return "\"" + version + (gzip ? "-gz" : "") + "\"";
    }
  }

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  /** Reads {@code /ui/<name>} from the class path for each name (its content type as the value). */
  public static StaticAssets load(Map<String, String> typesByName) {
    StaticAssets s = new StaticAssets();
    typesByName.forEach((name, type) -> {
      try (InputStream in = StaticAssets.class.getResourceAsStream("/ui/" + name)) {
        if (in == null) {
          throw new IllegalStateException("/ui/" + name + " missing from the jar");
        }
        byte[] body = in.readAllBytes();
        byte[] gz = type.startsWith("text/") || type.startsWith("image/svg") ? gzip(body) : null;
        s.assets.put(name, new Asset(type, body, gz != null && gz.length < body.length ? gz : null, version(body)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return s;
  }

  /** The URL a page links {@code name} by: versioned, so the browser may keep it until the file changes. */
  public String href(String name) {
    Asset a = assets.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no static asset " + name);
    }
    return "/static/" + name + "?v=" + a.version;
  }

  /** Answers {@code GET /static/<name>}; false when there is no such asset. */
  boolean serve(String name, ServerRequest req, ServerResponse res) {
    Asset a = assets.get(name);
    if (a == null) {
      return false;
    }
    boolean gzip = a.gzipped != null && acceptsGzip(req.headers().value(HeaderNames.ACCEPT_ENCODING).orElse(""));
    String etag = a.etag(gzip);
    boolean current = req.query().first("v").map(a.version::equals).orElse(false);
    res.header(HeaderNames.CACHE_CONTROL, current ? IMMUTABLE : REVALIDATE);
    res.header(HeaderNames.ETAG, etag);
    res.header(HeaderNames.VARY, "Accept-Encoding");
    if (matches(req.headers().value(HeaderNames.IF_NONE_MATCH).orElse(null), etag)) {
      res.status(Status.NOT_MODIFIED_304);
      res.send();
      return true;
    }
    res.header(HeaderNames.CONTENT_TYPE, a.type);
    if (gzip) {
      res.header(HeaderNames.CONTENT_ENCODING, "gzip");
      res.send(a.gzipped);
    } else {
      res.send(a.body);
    }
    return true;
  }

  /**
   * Whether an Accept-Encoding value (RFC 9110 §12.5.3) admits gzip: named with a non-zero weight, or not named and
   * admitted by {@code *}.
   */
  static boolean acceptsGzip(String acceptEncoding) {
    Boolean star = null;
    for (String item : acceptEncoding.split(",")) {
      String[] parts = item.split(";");
      String coding = parts[0].trim().toLowerCase(Locale.ROOT);
      boolean allowed = true;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim().toLowerCase(Locale.ROOT);
        if (p.startsWith("q=")) {
          allowed = weight(p.substring(2)) > 0;
        }
      }
      if (coding.equals("gzip") || coding.equals("x-gzip")) {
        return allowed;
      }
      if (coding.equals("*")) {
        star = allowed;
      }
    }
    return star != null && star;
  }

  private static double weight(String q) {
    try {
      return Double.parseDouble(q.trim());
    } catch (NumberFormatException e) {
      return 0; // an unreadable weight admits nothing
    }
  }

  /** If-None-Match (RFC 9110 §13.1.2): {@code *}, or a list of entity tags compared weakly. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static String version(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)).substring(0, VERSION_HEX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3);
    try (GZIPOutputStream gz = new GZIPOutputStream(out) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      gz.write(body);
    }
    return out.toByteArray();
  }
}
