package dev.junction.upstream.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildEnvironmentTest {
  private static final Map<String, String> PARENT = Map.of("PATH", "/usr/bin", "HOME", "/home/gw", "LANG", "C.UTF-8",
      "JUNCTION_ADMIN_TOKEN", "secret", "CLIENT_SECRET", "also-secret", "SHARED", "from-parent");

  @Test
  void aChildGetsTheBaseTheNamedVariablesAndItsOwnOnly() {
    Map<String, String> env = ChildEnvironment.of(PARENT, List.of("SHARED", "UNSET"), Map.of("OWN", "1"));
    assertThat(env).containsOnly(Map.entry("PATH", "/usr/bin"), Map.entry("HOME", "/home/gw"),
        Map.entry("LANG", "C.UTF-8"), Map.entry("SHARED", "from-parent"), Map.entry("OWN", "1"));
  }

  @Test
  void configuredValuesWinAndNothingElseLeaks() {
    Map<String, String> env = ChildEnvironment.of(PARENT, List.of(), Map.of("HOME", "/srv/mcp"));
    assertThat(env).containsEntry("HOME", "/srv/mcp").doesNotContainKeys("JUNCTION_ADMIN_TOKEN", "CLIENT_SECRET",
        "SHARED", "TMPDIR");
  }

  @Test
  void eachProcessGetsAFreshPrivateDirectoryUnderTheRoot(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("a/b/work");
    Path one = ChildEnvironment.workDir(root, "files");
    Path two = ChildEnvironment.workDir(root, "files");
    assertThat(one).isNotEqualTo(two).isDirectory();
    assertThat(one.getParent()).isEqualTo(root);
    assertThat(one.getFileName().toString()).startsWith("files-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(one))).isEqualTo("rwx------");
  }

  @Test
  void aTreeIsDeletedWithoutFollowingLinksOutOfIt(@TempDir Path tmp) throws IOException {
    Path outside = Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("keep"), "x");
    Path dir = ChildEnvironment.workDir(tmp.resolve("work"), "files");
    Files.writeString(Files.createDirectories(dir.resolve("a/b")).resolve("f"), "y");
    Files.createSymbolicLink(dir.resolve("link"), outside.getParent());
    ChildEnvironment.deleteTree(dir);
    assertThat(dir).doesNotExist();
    assertThat(outside).hasContent("x");
    ChildEnvironment.deleteTree(dir); // gone already: nothing to do
  }

  @Test
  void aRootThatIsAFileIsRefused(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> ChildEnvironment.workDir(file, "files")).isInstanceOf(IOException.class);
  }
}
