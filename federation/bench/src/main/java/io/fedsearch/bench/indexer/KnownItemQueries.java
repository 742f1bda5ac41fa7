package io.fedsearch.bench.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A known-item query set: each query's single right answer is the entry with that platform and id. */
public record KnownItemQueries(List<Query> queries) {
  public record Query(String text, String platform, String id) {}

  public static KnownItemQueries read(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Query> out = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode q = json.readTree(line);
      if (!q.hasNonNull("query") || !q.hasNonNull("platform") || !q.hasNonNull("id")) {
        throw new IOException(file + ":" + n + ": query lines need query, platform and id");
      }
      out.add(new Query(q.get("query").asText(), q.get("platform").asText(), q.get("id").asText()));
    }
    return new KnownItemQueries(List.copyOf(out));
  }

  /** Reciprocal rank of the target among {@code ranked} (platform, id) keys within the first {@code k}, else 0. */
  public static double reciprocalRank(List<String> rankedKeys, String targetKey, int k) {
    for (int i = 0; i < Math.min(k, rankedKeys.size()); i++) {
      if (rankedKeys.get(i).equals(targetKey)) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }
}
