package dev.forumdesk.app;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Masks the bot token, webhook secret, API token and DB password in every log message, whatever
 * code logged it (including libraries that print request URLs). Registered in logback.xml as
 * {@code %redactedMsg}.
 */
public final class Redaction extends MessageConverter {
  private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

  static void register(List<String> secrets) {
    SECRETS.addAll(secrets);
  }

  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : SECRETS) {
      out = out.replace(secret, "<redacted>");
    }
    return out;
  }

  @Override
  public String convert(ILoggingEvent event) {
    return redact(super.convert(event));
  }

  /** Exceptions too: their messages may carry a URL with the token in it. */
  public static final class Throwables extends ch.qos.logback.classic.pattern.ThrowableProxyConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return redact(super.convert(event));
    }
  }
}
