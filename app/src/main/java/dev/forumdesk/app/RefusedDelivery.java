package dev.forumdesk.app;

import dev.forumdesk.outbox.Fallback;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.TicketEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When Telegram refuses a message for good: a DM with a fallback (the agent never started the
 * bot) is replaced by its fallback, stored with it ({@link dev.forumdesk.outbox.PrivateNotes}: the
 * topic, the staff forum or a mention only), and the ticket notes in its audit what went instead.
 */
final class RefusedDelivery implements BiConsumer<OutboxRow, String> {
  private static final Logger log = LoggerFactory.getLogger(RefusedDelivery.class);

  private final Outbox outbox;
  private final WorkflowClient client;

  RefusedDelivery(Outbox outbox, WorkflowClient client) {
    this.outbox = outbox;
    this.client = client;
  }

  @Override
  public void accept(OutboxRow row, String reason) {
    outbox.refusalOf(row.id()).ifPresent(r -> {
      if (r.fallback() == null || r.ticketId() == null) {
        return;
      }
      Fallback f = Fallback.read(r.fallback());
      outbox.enqueue(f.key(), f.chatId(), f.threadId(), row.method(), f.payload(), f.priority(), r.ticketId(), null);
      try {
        client.newUntypedWorkflowStub(r.ticketId()).signal("event", new TicketEvent.DeliveryRefused(
            "refused:" + row.key(), Instant.now().truncatedTo(ChronoUnit.MILLIS), null, Role.SYSTEM,
            "DM to " + row.chatId(), reason, row.chatId(), f.instead()));
      } catch (WorkflowNotFoundException e) {
        log.info("ticket {} is closed; DM fallback sent without an audit note", r.ticketId());
      }
    });
  }
}
