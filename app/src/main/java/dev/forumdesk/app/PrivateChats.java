package dev.forumdesk.app;

import dev.forumdesk.observe.ObserveService.Check;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.ticket.Person;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /observe/health}'s {@code privateChats}: the staff the bot cannot write to privately, by
 * what became of the last private message to each (refused for good: they never started the bot,
 * or blocked it; one delivered later takes them off the list). In group mode without a staff forum
 * their notes and notices reach them nowhere else (the customer reads the topic), so the check is
 * DEGRADED then: the lead learns it here and from one WARN per person, not from pings in customers'
 * topics. Elsewhere their notes go to the staff forum, or the agents' own topic, and it stays UP.
 */
final class PrivateChats {
  private final Outbox outbox;
  private final StaffPlaces places;

  PrivateChats(Outbox outbox, StaffPlaces places) {
    this.outbox = outbox;
    this.places = places;
  }

  /** The staff whose last private message Telegram refused. */
  List<Person> unreachable() {
    return places.staff().stream().filter(p -> outbox.lastPrivateDelivered(p.id()).equals(Optional.of(false))).toList();
  }

  Check.Result check() {
    List<Person> unreachable = unreachable();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("unreachable", unreachable.stream().map(p -> {
      Map<String, Object> person = new LinkedHashMap<>();
      person.put("id", p.id());
      person.put("name", p.name());
      if (p.username() != null) {
        person.put("username", p.username());
      }
      return person;
    }).toList());
    if (unreachable.isEmpty()) {
      return new Check.Result(true, details);
    }
    boolean lost = places.customersReadTickets() && places.staffForum().isEmpty();
    details.put("effect", lost
        ? "they get no notes or notices (no staff forum to post them in instead) until they start a private chat with the bot"
        : "their notes go to " + (places.customersReadTickets() ? "the staff forum" : "the ticket's topic")
            + " instead until they start a private chat with the bot");
    return lost ? Check.Result.degraded(details) : new Check.Result(true, details);
  }
}
