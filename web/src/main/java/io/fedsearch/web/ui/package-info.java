/**
 * The node's pages, server-rendered HTML served by every node.
 *
 * <p>Routes ({@link io.fedsearch.web.ui.UiRoutes}): {@code /} search, {@code /entry/{cid}} (and {@code POST
 * /entry/{cid}/buy}), {@code /creator/{name}} (with {@code /attestation} download and {@code POST /verify}),
 * {@code /wallet} (the browser wallet's page; its scripts, {@code /static/wallet*.js}, also take a hub node's Buy
 * over: web/README.md, "Browser wallet"),
 * {@code /dashboard} (admin; {@code POST /dashboard/login}, {@code /dashboard/logout}), {@code /static/*} and an
 * HTML 404 for any other non-API path.
 *
 * <p>How it is built, and why:
 * <ul>
 *   <li>The pages are clients of the node's own JSON API ({@link io.fedsearch.web.ui.ApiClient}, over the socket the
 *       page request came in on). A page shows exactly what the API serves, and an API the node does not have —
 *       payments when they are not configured — is a {@code no_route} 404 the page renders as "not available". The
 *       rate limiter lets these internal calls through (they carry a per-process secret) so a page view counts once.
 *   <li>Markup comes from {@link io.fedsearch.web.ui.Html#f}: trusted literal templates whose holes escape every
 *       value that is not already {@code Html}. Hand-written (about 100 lines) rather than a template engine: it makes
 *       escaping the default with nothing to configure, and the pages need no other template feature.
 *   <li>Charts are SVG drawn on the server ({@link io.fedsearch.web.ui.Svg}); the only script is
 *       {@code /static/ui.js} (suggestions from {@code /api/suggest}, j/k and / keys), and the pages work without it.
 *       No inline script or style anywhere, so the Content-Security-Policy needs no {@code unsafe-inline}; no CDN.
 *   <li>Forms that change anything carry a CSRF token (double submit: HttpOnly SameSite=Strict cookie + hidden
 *       field, {@link io.fedsearch.web.ui.Forms}). The dashboard accepts the admin token as a bearer header or in the
 *       HttpOnly SameSite=Strict cookie the login form sets ({@link io.fedsearch.web.ui.AdminSession}).
 *   <li>Buying posts the listing's CID and attribution token to {@code POST /api/purchases}; the node's admin token
 *       goes with it only when the visitor is logged in as the admin (buying spends the node's wallet).
 * </ul>
 */
package io.fedsearch.web.ui;
