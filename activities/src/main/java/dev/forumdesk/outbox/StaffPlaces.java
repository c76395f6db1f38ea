package dev.forumdesk.outbox;

import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ticket.Person;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who reads where, from support.mode. In group mode customers are members of the support forum
 * and read its topics, their own and the General one: a private note, other agents' loads and
 * shifts, or a sentiment score posted there is posted to them. In relay mode the forum is the
 * agents' own. From the live configuration, so a reload is followed.
 */
public final class StaffPlaces {
  private final Supplier<ForumdeskConfig> config;

  public StaffPlaces(Supplier<ForumdeskConfig> config) {
    this.config = config;
  }

  /** Whether customers read what is posted in {@code chatId} (any topic of it). */
  public boolean customersRead(long chatId) {
    ForumdeskConfig c = config.get();
    return !c.relay() && chatId == c.support().chatId();
  }

  /** Whether customers read tickets' topics: group mode. */
  public boolean customersReadTickets() {
    return customersRead(config.get().support().chatId());
  }

  /**
   * A forum staff read and customers do not, where a note for one of them may go in group mode:
   * support.level2-chat-id when it is another forum than the customers'. Its General topic, since
   * no ticket has a topic there until it is escalated.
   */
  public Optional<Long> staffForum() {
    ForumdeskConfig c = config.get();
    long level2 = c.support().level2ChatId();
    return c.relay() || level2 == c.support().chatId() ? Optional.empty() : Optional.of(level2);
  }

  /**
   * Where an escalation opens its Level 2 topic now: support.level2-chat-id, unless customers read
   * it (group mode with it the support forum itself, or left out). Read at the escalation, so a
   * ticket opened before a restart that changed the staff forum follows the desk as it is.
   */
  public Optional<Long> level2Forum() {
    long level2 = config.get().support().level2ChatId();
    return customersRead(level2) ? Optional.empty() : Optional.of(level2);
  }

  /** support.supervisors, each as {@link #staffMember} names them. */
  public List<Person> supervisors() {
    ForumdeskConfig c = config.get();
    return c.support().supervisors().stream().map(c::staffMember).toList();
  }

  /** Everyone the desk writes to privately: the agents, then the supervisors who are no agents. */
  public List<Person> staff() {
    ForumdeskConfig c = config.get();
    return java.util.stream.Stream.concat(c.agents().stream().map(a -> a.id()), c.support().supervisors().stream())
        .distinct().map(c::staffMember).toList();
  }

  /** A member of staff by Telegram id, to mention them. */
  public Person staffMember(long id) {
    return config.get().staffMember(id);
  }
}
