package io.fedsearch.web.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dir NODE_DIR}: the node directory a command works on (one created by {@code node init}). */
public final class NodeDirOption {
  @Option(names = "--dir", required = true, paramLabel = "NODE_DIR", description = "Node directory (from `node init`).")
  private Path dir;

  public Path dir() {
    return dir;
  }
}
