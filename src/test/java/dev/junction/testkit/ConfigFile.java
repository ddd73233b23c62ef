package dev.junction.testkit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A config file that a test rewrites while the gateway runs, in one of the ways a config changes
 * in real life: written in place, saved by an editor (a temp file renamed over it), or swapped as
 * the kubelet swaps a mounted ConfigMap ({@code junction.yaml -> ..data/junction.yaml},
 * {@code ..data -> ..<timestamp>}, and a new {@code ..data} renamed over the old one).
 */
public final class ConfigFile {
  /** How the file is replaced. */
  public enum Write { IN_PLACE, RENAME, KUBELET }

  private final Path dir;
  private final Write write;
  private int generation;

  private ConfigFile(Path dir, Write write) {
    this.dir = dir;
    this.write = write;
  }

  /** A config file in {@code dir}, laid out for {@code write}, with its first content. */
  public static ConfigFile create(Path dir, Write write, JsonObject config) {
    ConfigFile file = new ConfigFile(dir, write);
    if (write == Write.KUBELET) {
      try {
        Files.createSymbolicLink(dir.resolve("junction.yaml"), Path.of("..data", "junction.yaml"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    file.write(config);
    return file;
  }

  /** The path the gateway is given ({@code --config}). */
  public Path path() {
    return dir.resolve("junction.yaml");
  }

  /** Replaces the content (JSON is YAML). */
  public void write(JsonObject config) {
    write(config.encodePrettily());
  }

  /** Replaces the content with this text, as the layout does it. */
  public void write(String text) {
    try {
      generation++;
      switch (write) {
        case IN_PLACE -> Files.writeString(path(), text);
        case RENAME -> {
          Path temp = dir.resolve(".junction.yaml.swp" + generation);
          Files.writeString(temp, text);
          Files.move(temp, path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        case KUBELET -> {
          // the kubelet's AtomicWriter: a new timestamped dir, a new ..data link renamed over the old one
          Path stamped = dir.resolve("..2026_11_30_00_00_00." + generation);
          Files.createDirectory(stamped);
          Files.writeString(stamped.resolve("junction.yaml"), text);
          Path link = dir.resolve("..data_tmp");
          Files.createSymbolicLink(link, stamped.getFileName());
          Path old = Files.isSymbolicLink(dir.resolve("..data")) ? dir.resolve(Files.readSymbolicLink(
              dir.resolve("..data"))) : null;
          Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          if (old != null) {
            Files.delete(old.resolve("junction.yaml"));
            Files.delete(old);
          }
        }
        default -> throw new IllegalStateException();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
