package io.fedsearch.core.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes secrets (keysets, tokens, account keys) readable by the owner only (mode 600), atomically and durably: a
 * temp file created 600, written and fsynced, renamed over the target, then the directory fsynced so the rename
 * itself survives a crash (without it a crash can bring back the old file, or none, after the call returned).
 *
 * <p>It lives in {@code privacy}, the bottom of the module graph, so that every module writing secrets (the indexer's
 * node key, privacy's record keys, payments' account key, the node directory) shares this one implementation.
 */
public final class PrivateFiles {
  private PrivateFiles() {}

  public static void writeAtomically(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        dir.force(true); // the rename itself
      } catch (IOException ignored) {
        // some file systems cannot open directories; the rename is still atomic
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
