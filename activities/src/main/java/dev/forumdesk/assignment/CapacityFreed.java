package dev.forumdesk.assignment;

/**
 * Told when an agent's slot may have freed: a ticket resolved or closed, a ticket moved away,
 * an agent back from /away, a shift started. Waiting tickets are then served at once instead of
 * at their next retry.
 */
@FunctionalInterface
public interface CapacityFreed {
  CapacityFreed NOBODY = cause -> {};

  /** @param cause what freed it, for the reason the served tickets record (e.g. "Boris is back") */
  void freed(String cause);
}
