package dev.junction;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.junction.bus.BusMessage;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The single-owner rule of STYLE.md, enforced on src/main. */
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
    noClasses().that().resideOutsideOfPackage("dev.junction.demo..").should().callMethod(Thread.class, "sleep", long.class)
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

  private static final List<String> VERTICLE_PACKAGES = List.of("ingress", "pool", "health", "oauth", "cluster");

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

  @Test
  void everyBusMessageIsARecordOfTheBusPackage() {
    for (Class<?> type : BusMessage.class.getPermittedSubclasses()) {
      assertThat(type.isRecord()).as(type.getName()).isTrue();
      assertThat(type.getPackageName()).isEqualTo("dev.junction.bus");
    }
  }
}
