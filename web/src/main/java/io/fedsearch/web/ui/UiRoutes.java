package io.fedsearch.web.ui;

import io.fedsearch.web.http.ApiException;
import io.fedsearch.web.http.NodeViews;
import io.fedsearch.web.node.RunningNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The browser face of a node: the pages, their static assets ({@code /static/ui.css}, {@code /static/ui.js}) and
 * HTML error pages for every browser route — a page never shows a stack trace and never falls through to the JSON
 * error handlers of the API. Unknown non-API paths get an HTML 404; API paths are left to the API.
 */
public final class UiRoutes implements HttpService {
  private static final Logger LOG = Logger.getLogger(UiRoutes.class.getName());
  private static final Map<String, String> ASSETS = Map.of(
      "ui.css", "text/css; charset=utf-8",
      "ui.js", "text/javascript; charset=utf-8",
      "favicon.svg", "image/svg+xml",
      "xrpl-bundle.js", "text/javascript; charset=utf-8",
      "wallet-core.js", "text/javascript; charset=utf-8",
      "wallet-store.js", "text/javascript; charset=utf-8",
      "wallet-hub.js", "text/javascript; charset=utf-8",
      "wallet-receipt.js", "text/javascript; charset=utf-8",
      "wallet.js", "text/javascript; charset=utf-8");

  private final Ui ui;
  private final SearchPage search;
  private final EntryPage entry;
  private final CreatorPage creator;
  private final ApiDocsPage apiDocs;
  private final DashboardPage dashboard;
  private final EconomicsPage economics;
  private final WalletPage wallet;
  private final StaticAssets assets;

  public UiRoutes(RunningNode node, NodeViews views) {
    String token = node.local().directory().adminToken();
    this.assets = StaticAssets.load(ASSETS);
    this.ui = new Ui(node, new Layout(node.local().directory().platform(), assets), new PageApi(views),
        new AdminSession(token));
    this.search = new SearchPage(ui);
    this.entry = new EntryPage(ui);
    this.creator = new CreatorPage(ui);
    this.apiDocs = new ApiDocsPage(ui);
    this.dashboard = new DashboardPage(ui);
    this.economics = new EconomicsPage(ui);
    this.wallet = new WalletPage(ui);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", page(search::handle))
        .get("/entry/{cid}", page(entry::handle))
        // Creator names are free text and may hold a "/" ("Debian Qt/KDE Maintainers"): Helidon matches the decoded
        // path, so the name is the rest of it ({+name}); the two sub-pages are matched first, by their last segment.
        .get("/creator/{+name}/attestation", page(creator::attestation))
        .post("/creator/{+name}/verify", page(creator::verify))
        .get("/creator/{+name}", page(creator::handle))
        .get("/openapi", page(apiDocs::handle))
        .get("/dashboard", page(dashboard::handle))
        .post("/dashboard/login", page(dashboard::logIn))
        .post("/dashboard/logout", page(dashboard::logOut))
        .post("/dashboard/outbox/submit", page(dashboard::submitOutbox))
        .get("/dashboard/economics", page(economics::handle))
        .get("/wallet", page(wallet::handle))
        .get("/static/{file}", page(this::asset))
        .get("/*", this::notFound);
  }

  /** Wraps a page so that every failure becomes an HTML error page. */
  private Handler page(Handler h) {
    return (req, res) -> {
      try {
        h.handle(req, res);
      } catch (UiException e) {
        ui.layout().error(res, e.status(), e.getMessage());
      } catch (ApiException e) {
        ui.layout().error(res, e.status(), e.getMessage());
      } catch (CloseConnectionException e) {
        throw e; // a request body with broken framing: answered already, the connection must close
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "page " + req.prologue().method() + " " + req.path().path() + " failed", e);
        if (!res.isSent()) {
          ui.layout().error(res, 500, "This page failed; the node logged the details.");
        }
      }
    };
  }

  private void asset(ServerRequest req, ServerResponse res) {
    String name = req.path().pathParameters().get("file");
    if (!assets.serve(name, req, res)) {
      throw new UiException(404, "no such file: /static/" + name);
    }
  }

  private void notFound(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    if (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/health") || path.startsWith("/metrics")
) {
      res.next();
      return;
    }
    ui.layout().error(res, 404, "There is no page at " + (path.length() > 100 ? path.substring(0, 100) + "…" : path)
        + ".");
  }

}
