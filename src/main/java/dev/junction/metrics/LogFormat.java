package dev.junction.metrics;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.net.URL;
import java.util.Locale;

/**
 * Picks the log format when logging starts: {@code JUNCTION_LOG_FORMAT=json} configures
 * {@code logback-json.xml} (JSON lines, see {@link JsonLines}); otherwise, or when
 * {@code -Dlogback.configurationFile} names a file, logback goes on as usual ({@code logback.xml}).
 * Found by logback through {@code META-INF/services}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogFormat extends ContextAwareBase implements Configurator {
  /** The environment variable that selects the format: {@code json} or {@code text} (the default). */
  public static final String VARIABLE = "JUNCTION_LOG_FORMAT";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String format = System.getenv(VARIABLE);
    URL json = LogFormat.class.getResource("/logback-json.xml");
    if (format == null || !"json".equals(format.trim().toLowerCase(Locale.ROOT)) || json == null
        || System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    try {
      joran.doConfigure(json);
      return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    } catch (JoranException e) {
      addError("cannot read logback-json.xml", e);
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
  }
}
