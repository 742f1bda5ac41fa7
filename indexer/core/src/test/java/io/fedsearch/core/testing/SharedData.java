package io.fedsearch.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real catalogs in {@code ../shared/data}; tests that need them skip cleanly when they are absent. */
public final class SharedData {
  private SharedData() {}

  public static Path file(String name) {
    String dir = System.getProperty("fedsearch.shared.data", "../../shared/data");
    Path p = Path.of(dir).resolve(name);
    assumeTrue(Files.isRegularFile(p), "shared data " + p + " is absent");
    return p;
  }

  public static List<String> firstLines(String name, int n) throws IOException {
    try (Stream<String> lines = Files.lines(file(name))) {
      return lines.limit(n).toList();
    }
  }
}
