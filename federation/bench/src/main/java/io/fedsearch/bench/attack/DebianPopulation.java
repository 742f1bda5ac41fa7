package io.fedsearch.bench.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The honest population: Debian maintainers (the {@code creator} field) and their packages' popularity. */
public final class DebianPopulation {
  /** One package: its name and popularity (reverse-dependency count). */
  public record Package(String id, long popularity) {}

  /** One maintainer and their packages. */
  public record Maintainer(String name, List<Package> packages) {}

  private DebianPopulation() {}

  /** Loads every maintainer, then keeps {@code count} of them chosen by a seeded hash of the name. */
  public static List<Maintainer> load(Path file, int count, long seed) {
    Map<String, List<Package>> byCreator = new LinkedHashMap<>();
    ObjectMapper om = new ObjectMapper();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNo = 0;
      for (String line; (line = in.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode o = om.readTree(line);
        String creator = o.path("creator").asText("");
        String id = o.path("id").asText("");
        if (creator.isBlank() || id.isBlank()) {
          continue;
        }
        if (!o.path("popularity").canConvertToLong()) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": popularity is not an integer");
        }
        byCreator.computeIfAbsent(creator, k -> new ArrayList<>()).add(new Package(id, o.get("popularity").asLong()));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<Maintainer> all = new ArrayList<>();
    byCreator.forEach((name, pkgs) -> all.add(new Maintainer(name, List.copyOf(pkgs))));
    all.sort(Comparator.comparingLong((Maintainer m) -> Hashing.mix(seed, m.name().hashCode()))
        .thenComparing(Maintainer::name));
    return List.copyOf(all.subList(0, Math.min(count, all.size())));
  }
}
