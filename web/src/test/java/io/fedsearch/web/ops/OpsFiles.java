package io.fedsearch.web.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL in the shipped {@code ops/} files (Grafana dashboard, Prometheus alert rules), read from the class
 * path as the jar carries them, and the metric selectors each expression uses.
 */
final class OpsFiles {
  /** A metric selector in an expression: the name and its label matchers ({@code =} ones with their value). */
  record Selector(String expr, String metric, Map<String, String> equals, List<String> otherLabels) {}

  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "bool", "and", "or", "unless", "offset", "inf", "nan");
  private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");

  private OpsFiles() {}

  static JsonNode read(String resource) throws IOException {
    try (InputStream in = OpsFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no resource " + resource);
      }
      return (resource.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory())).readTree(in);
    }
  }

  /** Every alert rule's expression, keyed by alert name. */
  static Map<String, String> alertExpressions(JsonNode rules) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        out.put(rule.path("alert").asText(rule.path("record").asText()), rule.path("expr").asText());
      }
    }
    return out;
  }

  /** Every panel target's expression, and the metric each templating query reads. */
  static List<String> dashboardExpressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        out.add(target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      Matcher m = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(variable.path("query")
          .asText());
      if (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /**
   * The metric selectors of one PromQL expression: identifiers that are not functions (followed by "("),
   * keywords, label lists of by/without/on/ignoring, durations or label names inside braces.
   */
  static List<Selector> selectors(String expr) {
    List<Selector> out = new ArrayList<>();
    // label lists after grouping keywords name labels, not metrics
    String e = expr.replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    e = e.replaceAll("\\[[^]]*]", " "); // range and subquery durations
    int i = 0;
    while (i < e.length()) {
      char c = e.charAt(i);
      if (c == '"') { // a string literal outside a selector
        i = e.indexOf('"', i + 1) + 1;
        if (i == 0) {
          break;
        }
        continue;
      }
      if (c == '{') { // a selector with no name: not used in our files
        i = e.indexOf('}', i) + 1;
        continue;
      }
      Matcher m = IDENT.matcher(e).region(i, e.length());
      if (!m.lookingAt() || (i > 0 && (Character.isDigit(e.charAt(i - 1)) || e.charAt(i - 1) == '.'))) {
        i++;
        continue;
      }
      String name = m.group();
      int end = m.end();
      int next = end;
      while (next < e.length() && e.charAt(next) == ' ') {
        next++;
      }
      if (next < e.length() && e.charAt(next) == '(' || KEYWORDS.contains(name.toLowerCase())) {
        i = end;
        continue;
      }
      Map<String, String> equals = new LinkedHashMap<>();
      List<String> other = new ArrayList<>();
      if (next < e.length() && e.charAt(next) == '{') {
        int close = e.indexOf('}', next);
        Matcher l = MATCHER.matcher(e.substring(next + 1, close));
        while (l.find()) {
          if (l.group(2).equals("=")) {
            equals.put(l.group(1), l.group(3));
          } else {
            other.add(l.group(1));
          }
        }
        end = close + 1;
      }
      out.add(new Selector(expr, name, equals, other));
      i = end;
    }
    return out;
  }
}
