package io.fedsearch.web.cli;

import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.indexer.entry.InvalidEntryException;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fedsearch cid FILE.jsonl}: the CID of each entry, one line per input line. With {@code --json} each line
 * also carries the encoded block in hex so any IPLD tool can check it. A bad line prints its error (to stderr) in
 * place, and the command exits 1 at the end.
 */
@Command(name = "cid", mixinStandardHelpOptions = true, description = "Print the CID of each entry in a JSON Lines file.")
public final class CidCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE.jsonl", description = "Entries, one JSON object per line.")
  Path file;

  @Mixin
  JsonOption output;

  @Option(names = "--platform", description = "Platform for records that name none (default: required in input).")
  String platform;

  @Override
  public Integer call() throws Exception {
    EntryParser parser = new EntryParser(platform);
    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
    int bad = 0;
    int lineNo = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          Entry entry = parser.parse(line);
          byte[] block = entry.encode();
          String cid = io.fedsearch.core.cid.Cid.ofDagCbor(block).toString();
          out.println(output.json()
              ? "{\"cid\":\"" + cid + "\",\"block\":\"" + HexFormat.of().formatHex(block) + "\"}"
              : cid);
        } catch (InvalidEntryException e) {
          bad++;
          out.flush();
          System.err.println(file + ":" + lineNo + ": " + e.getMessage());
        }
      }
    }
    out.flush();
    return bad == 0 ? 0 : 1;
  }
}
