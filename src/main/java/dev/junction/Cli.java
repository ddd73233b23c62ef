package dev.junction;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The command line: what {@code java -jar junction.jar} was asked to do. {@code --help},
 * {@code --version} and {@code --validate} answer on standard output, which is this class's alone
 * (the gateway itself logs to standard error; ArchitectureTest lets only this class write to it).
 *
 * @param action what to do
 * @param config the config file
 */
record Cli(Action action, Path config) {
  /** The config read when no {@code --config} is given. */
  static final Path DEFAULT_CONFIG = Path.of("conf/junction.yaml");

  /** What the command line asks for. */
  enum Action { RUN, HELP, VERSION, VALIDATE }

  static final String USAGE = """
      Usage: java -jar junction.jar [--config FILE] [--validate]
             java -jar junction.jar --help | --version

      Junction, a reactive multi-tenant gateway for the Model Context Protocol.

        -c, --config FILE   the YAML configuration (default: conf/junction.yaml)
            --validate      check the configuration, print every problem, and exit without starting:
                            0 when it is valid, 2 when it is not
        -h, --help          print this help and exit
        -V, --version       print the version and exit

      Exit status: 0 after a clean stop (SIGTERM drains first, see README "Deploy on Kubernetes"),
      1 when the gateway fails to start, 2 for a bad command line or configuration.
      """;

  /** Reads the arguments; an unknown or incomplete one throws with a message for the user. */
  static Cli parse(String[] args) {
    Action action = Action.RUN;
    Path file = DEFAULT_CONFIG;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help" -> action = Action.HELP;
        case "-V", "--version" -> action = action == Action.HELP ? action : Action.VERSION;
        case "--validate" -> action = action == Action.RUN ? Action.VALIDATE : action;
        case "-c", "--config" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(a + " needs a file");
          }
          file = Path.of(args[++i]);
        }
        default -> {
          if (a.startsWith("--config=")) {
            file = Path.of(a.substring("--config=".length()));
          } else {
            throw new IllegalArgumentException("unknown argument '" + a + "'");
          }
        }
      }
    }
    return new Cli(action, file);
  }

  /** The version Maven wrote into the jar, or {@code unknown} when run from unfiltered classes. */
  static String version() {
    try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Standard output, for the answers to --help, --version and --validate. */
  static PrintStream out() {
    return System.out;
  }
}
