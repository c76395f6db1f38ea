package dev.forumdesk.config;

/** A configuration problem, with a message that names the key or variable to fix. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
