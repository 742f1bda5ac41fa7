package io.fedsearch.web.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Prometheus text exposition, parsed: each sample's name, labels and value. */
final class Scrape {
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  final List<Sample> samples = new ArrayList<>();

  Scrape(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException("not a Prometheus sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
  }

  /** Every sample name in the scrape. */
  Set<String> names() {
    Set<String> out = new TreeSet<>();
    samples.forEach(s -> out.add(s.name()));
    return out;
  }

  /** Whether some sample is named {@code name} and carries the labels {@code kv} (name, value, name, value …). */
  boolean has(String name, String... kv) {
    return samples.stream().anyMatch(s -> s.name().equals(name) && matches(s, kv));
  }

  /** The sum of the samples named {@code name} that carry the labels {@code kv}; 0 when none does. */
  double sum(String name, String... kv) {
    return samples.stream().filter(s -> s.name().equals(name) && matches(s, kv)).mapToDouble(Sample::value).sum();
  }

  private static boolean matches(Sample s, String... kv) {
    for (int i = 0; i < kv.length; i += 2) {
      if (!kv[i + 1].equals(s.labels().get(kv[i]))) {
        return false;
      }
    }
    return true;
  }
}
