package dev.junction;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.junction.bus.BusMessage;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The single-owner rule of STYLE.md, and its rules on the shape of the source, enforced on src/main. */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.junction");

  @Test
  void noLocks() {
    noClasses().should().dependOnClassesThat().resideInAPackage("java.util.concurrent.locks..")
        .because("state has one owner context; locks mean shared state").check(MAIN);
  }

  @Test
  void noConcurrentCollectionsOrAtomicsOutsideMetrics() {
    ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.junction.metrics..")
        .should().dependOnClassesThat().haveSimpleNameStartingWith("Concurrent")
        .orShould().dependOnClassesThat().haveSimpleNameStartingWith("Atomic");
    rule.check(MAIN);
  }

  /**
   * The demo server is a separate program (a child process speaking stdio, on the SDK's blocking
   * server API), so it is held to these rules only where they apply to it.
   */
  @Test
  void noSleepsAndNoSystemStreams() {
    // Cli answers --help, --version and --validate on standard output: a command line's own channel
    noClasses().that().resideOutsideOfPackage("dev.junction.demo..")
        .and().doNotHaveFullyQualifiedName("dev.junction.Cli")
        .should().callMethod(Thread.class, "sleep", long.class)
        .orShould().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .check(MAIN);
  }

  @Test
  void noVertxInternals() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.vertx.core.internal..").check(MAIN);
  }

  @Test
  void noSynchronizedMethods() {
    noClasses().should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaClass>("declare synchronized methods") {
      @Override
      public void check(com.tngtech.archunit.core.domain.JavaClass c,
          com.tngtech.archunit.lang.ConditionEvents events) {
        c.getMethods().stream()
            .filter(m -> Modifier.isSynchronized(m.reflect().getModifiers()))
            .forEach(m -> events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(m, m.getFullName() + " is synchronized")));
      }
    }).check(MAIN);
  }

  @Test
  void onlyTheDemoServerUsesTheSdk() {
    noClasses().that().resideOutsideOfPackage("dev.junction.demo..")
        .should().dependOnClassesThat().resideInAPackage("io.modelcontextprotocol..")
        .because("traffic through the gateway is never re-serialised by the SDK's records, which drop unknown fields")
        .check(MAIN);
  }

  private static final List<String> VERTICLE_PACKAGES = List.of("ingress", "pool", "health", "oauth", "cluster",
      "reload");

  /** ARCHITECTURE.md: verticles share only the bus's records and the value packages below them. */
  @Test
  void verticlePackagesNeverImportEachOther() {
    for (String from : VERTICLE_PACKAGES) {
      for (String to : VERTICLE_PACKAGES) {
        if (!from.equals(to)) {
          noClasses().that().resideInAPackage("dev.junction." + from + "..")
              .should().dependOnClassesThat().resideInAPackage("dev.junction." + to + "..")
              .because("verticles talk over the event bus; what crosses it lives in dev.junction.bus")
              .check(MAIN);
        }
      }
    }
  }

  @Test
  void theBusAndTheConfigDependOnNoVerticle() {
    noClasses().that().resideInAnyPackage("dev.junction.bus..", "dev.junction.config..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.junction.ingress..", "dev.junction.pool..",
            "dev.junction.health..", "dev.junction.oauth..", "dev.junction.cluster..")
        .check(MAIN);
    noClasses().that().resideInAPackage("dev.junction.config..")
        .should().dependOnClassesThat().resideInAPackage("dev.junction.bus..")
        .check(MAIN);
  }

  /** The binder is generic: Junction's keys live in dev.junction.config, on top of it. */
  @Test
  void theBinderKnowsNoJunctionType() {
    noClasses().that().resideInAPackage("dev.junction.binding..")
        .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.junction..")
            .and(JavaClass.Predicates.resideOutsideOfPackage("dev.junction.binding..")))
        .check(MAIN);
  }

  @Test
  void everyBusMessageIsARecordOfTheBusPackage() {
    for (Class<?> type : BusMessage.class.getPermittedSubclasses()) {
      assertThat(type.isRecord()).as(type.getName()).isTrue();
      assertThat(type.getPackageName()).isEqualTo("dev.junction.bus");
    }
  }

  private static final Path SOURCES = Path.of("src/main/java");
  private static final int MAX_LINE = 120;
  /** A package-qualified type name in code, such as {@code java.util.Set}: an import belongs at the top. */
  private static final Pattern QUALIFIED = Pattern.compile(
      "(?<![\\w.])(?:java|javax|io|org|com|dev)\\.[a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)*\\.[A-Z]");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  /** STYLE.md: lines at most 120 characters. */
  @Test
  void linesAreAtMost120Characters() throws IOException {
    List<String> tooLong = new ArrayList<>();
    forEachLine((where, line) -> {
      if (line.length() > MAX_LINE) {
        tooLong.add(where + " has " + line.length() + " characters");
      }
    });
    assertThat(tooLong).isEmpty();
  }

  /** STYLE.md: no inline fully-qualified class names (comments and strings aside). */
  @Test
  void noInlineQualifiedNames() throws IOException {
    List<String> qualified = new ArrayList<>();
    forEachLine((where, line) -> {
      String code = line.strip();
      if (code.startsWith("import ") || code.startsWith("package ") || code.startsWith("*") || code.startsWith("/*")
          || code.startsWith("//")) {
        return;
      }
      code = STRING.matcher(code).replaceAll("\"\"");
      int comment = code.indexOf("//");
      if (QUALIFIED.matcher(comment < 0 ? code : code.substring(0, comment)).find()) {
        qualified.add(where + ": " + line.strip());
      }
    });
    assertThat(qualified).isEmpty();
  }

  private interface LineCheck {
    void check(String where, String line);
  }

  private static void forEachLine(LineCheck check) throws IOException {
    List<Path> files;
    try (Stream<Path> all = Files.walk(SOURCES)) {
      files = all.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertThat(files).as("the sources under " + SOURCES.toAbsolutePath()).isNotEmpty();
    for (Path file : files) {
      String name = SOURCES.relativize(file).toString().replace('\\', '/');
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        check.check(name + ":" + (i + 1), lines.get(i));
      }
    }
  }
}
