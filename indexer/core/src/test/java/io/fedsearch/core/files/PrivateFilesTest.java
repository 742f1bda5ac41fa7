package io.fedsearch.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
  @TempDir
  Path dir;

  @Test
  void writesOwnerOnlyAndReplacesAtomically() throws Exception {
    Path file = dir.resolve("keys").resolve("secret.json");
    PrivateFiles.writeAtomically(file, "first ünïcode");
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("first ünïcode");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

    String big = "x".repeat(1 << 20);
    PrivateFiles.writeAtomically(file, big);
    assertThat(Files.readString(file)).isEqualTo(big);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("secret.json"); // no temp left
    }
  }

  @Test
  void replacesAFileThatWasReadableByOthers() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    PrivateFiles.writeAtomically(file, "new");
    assertThat(Files.readString(file)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }
}
