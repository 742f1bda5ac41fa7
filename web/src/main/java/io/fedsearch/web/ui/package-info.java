/**
 * The node's pages, server-rendered HTML served by every node.
 *
 * <p>Routes ({@link io.fedsearch.web.ui.UiRoutes}): {@code /} search, {@code /entry/{cid}}, {@code /creator/{name}} (with {@code /attestation} download and {@code POST /verify}),
 * {@code /wallet} (the browser wallet's page; its scripts, {@code /static/wallet*.js}, also take a hub node's Buy
 * over: web/README.md, "Browser wallet"),
 * {@code /dashboard} (admin; {@code POST /dashboard/login}, {@code /dashboard/logout}), {@code /static/*}
 * ({@link io.fedsearch.web.ui.StaticAssets}: versioned, gzipped, revalidated by ETag) and an HTML 404 for any other
 * non-API path.
 *
 * <p>How it is built, and why:
 * <ul>
 *   <li>The pages read the node through its API's views ({@link io.fedsearch.web.http.NodeViews}, wrapped by
 *       {@link io.fedsearch.web.ui.PageApi}), in process: a page shows exactly what the API serves — same shapes,
 *       same refusals, rendered as "not available" where the node has no such feature — without an HTTP call back to
 *       its own node and a second JSON parse.
 *   <li>Markup comes from {@link io.fedsearch.web.ui.Html#f}: trusted literal templates whose holes escape every
 *       value that is not already {@code Html}. Hand-written (about 100 lines) rather than a template engine: it makes
 *       escaping the default with nothing to configure, and the pages need no other template feature.
 *   <li>Charts are SVG drawn on the server ({@link io.fedsearch.web.ui.Svg}); the only script is
 *       {@code /static/ui.js} (suggestions from {@code /api/suggest}, j/k and / keys), and the pages work without it.
 *       No inline script or style anywhere, so the Content-Security-Policy needs no {@code unsafe-inline}; no CDN.
 *   <li>Forms that change anything carry a CSRF token (double submit: HttpOnly SameSite=Strict cookie + hidden
 *       field, {@link io.fedsearch.web.ui.Forms}). The dashboard accepts the admin token as a bearer header or in the
 *       HttpOnly SameSite=Strict cookie the login form sets ({@link io.fedsearch.web.ui.AdminSession}).
 *   <li>Buying is the browser wallet's: an entry page's Buy carries the listing's CID, platform, price and attribution
 *       token as data attributes, and the wallet pays through this node's hub ({@code POST /api/hub/purchases}); the
 *       server holds no wallet, so without JavaScript the button opens My wallet, which explains it.
 * </ul>
 */
package io.fedsearch.web.ui;
