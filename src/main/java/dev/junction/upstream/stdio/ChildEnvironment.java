package dev.junction.upstream.stdio;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a stdio child starts with: a clean environment and a working directory of its own. The
 * gateway's environment holds secrets (the admin token, client and introspection secrets), so a
 * child never inherits it whole. Pure functions and blocking file calls: callers run
 * {@link #workDir} off the event loop.
 */
final class ChildEnvironment {
  /** Passed through from the gateway when set: enough to find programs, a home, a locale and a temp dir. */
  static final List<String> BASE = List.of("PATH", "HOME", "LANG", "TMPDIR");
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private ChildEnvironment() {
  }

  /**
   * The child's environment: the {@link #BASE} names and the {@code inherit} names that the parent
   * has, then the configured {@code env}, which wins over both.
   */
  static Map<String, String> of(Map<String, String> parent, List<String> inherit, Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    for (List<String> names : List.of(BASE, inherit)) {
      for (String name : names) {
        String value = parent.get(name);
        if (value != null) {
          out.put(name, value);
        }
      }
    }
    out.putAll(env);
    return out;
  }

  /**
   * Creates a fresh directory for one process under {@code root} (created too if missing), readable
   * by the gateway's user only. Blocking.
   *
   * @throws IOException when it cannot be created, or when the root belongs to another user (who
   *     could then move or swap the children's directories)
   */
  static Path workDir(Path root, String upstream) throws IOException {
    if (!Files.isDirectory(root)) {
      if (posix(root)) {
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createDirectories(root);
      }
    }
    Path dir = Files.createTempDirectory(root, upstream + "-");
    UserPrincipal self = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
    // the root itself, and where it leads when it is a link
    if (!self.equals(Files.getOwner(root, LinkOption.NOFOLLOW_LINKS)) || !self.equals(Files.getOwner(root))) {
      Files.delete(dir);
      throw new IOException("the stdio work root " + root + " belongs to another user");
    }
    return dir;
  }

  /** Deletes a directory tree, never following links out of it. Blocking. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException failed) throws IOException {
        if (failed != null) {
          throw failed;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
