package dev.forumdesk.ticket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TicketStore;

/** Projects ticket snapshots to the read model and hands bot messages to the outbox. */
public final class TicketActivitiesImpl implements TicketActivities {
  private final TicketStore tickets;
  private final Outbox outbox;
  private final Runnable outboxWake;

  public TicketActivitiesImpl(TicketStore tickets, Outbox outbox, Runnable outboxWake) {
    this.tickets = tickets;
    this.outbox = outbox;
    this.outboxWake = outboxWake;
  }

  @Override
  public void project(TicketState state) {
    tickets.save(state);
  }

  @Override
  public void post(OutboundMessage m) {
    ObjectNode params = Json.mapper().createObjectNode();
    params.put("chat_id", m.chatId());
    if (m.threadId() != null) {
      params.put("message_thread_id", m.threadId());
    }
    params.put("text", m.html());
    params.put("parse_mode", "HTML");
    params.putObject("link_preview_options").put("is_disabled", true);
    if (outbox.enqueue(m.key(), m.chatId(), m.threadId(), "sendMessage", params.toString(), m.priority())) {
      outboxWake.run();
    }
  }
}
