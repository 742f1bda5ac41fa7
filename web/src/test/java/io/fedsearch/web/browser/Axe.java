package io.fedsearch.web.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;

/**
 * axe-core (from npm, {@code src/test/js/axe}, installed by {@code .ci/npm-deps}) run in the page the browser shows:
 * the WCAG 2 A/AA rules, reporting every violation of serious or critical impact. The script is injected through
 * the driver, not served by the node, so the pages' strict Content-Security-Policy stays as it is.
 */
final class Axe {
  private static final Path SCRIPT = Path.of(System.getProperty("basedir", "."))
      .resolve("src/test/js/axe/node_modules/axe-core/axe.min.js");
  private final String source;

  Axe() throws Exception {
    if (!Files.isRegularFile(SCRIPT)) {
      throw new IllegalStateException("axe-core not installed at " + SCRIPT + ": run .ci/npm-deps (./fedsearch test does)");
    }
    this.source = Files.readString(SCRIPT);
  }

  /** Serious and critical violations on the current page, one line each: rule, impact, and the first elements. */
  @SuppressWarnings("unchecked")
  List<String> seriousViolations(JavascriptExecutor page) {
    page.executeScript(source);
    Object result = page.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] } })
          .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))))
          .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));
        """);
    List<String> out = new ArrayList<>();
    for (Object o : (List<Object>) result) {
      Map<String, Object> v = (Map<String, Object>) o;
      out.add(v.get("id") + " (" + v.get("impact") + "): " + v.get("help") + " at " + v.get("nodes"));
    }
    return out;
  }
}
