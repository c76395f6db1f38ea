package dev.forumdesk.ticket;

import dev.forumdesk.routing.RoutingStep;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;

public class TicketWorkflowImpl implements TicketWorkflow {
  private final TicketActivities activities =
      Workflow.newActivityStub(
          TicketActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(10))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofMillis(200))
                      .setMaximumInterval(Duration.ofSeconds(30))
                      .build())
              .build());

  private final Queue<TicketEvent> pending = new ArrayDeque<>();
  private final RoutingStep routing = new RoutingStep();
  private Ticket ticket;
  private long projectedVersion;

  @Override
  public void run(TicketState state) {
    ticket = new Ticket(state);
    projectedVersion = ticket.version();
    routing.startIfDue(ticket); // a restored or continued ticket resumes an unfinished phase 2
    while (ticket.status() != Status.CLOSED) {
      // phase 2 routing runs beside this loop and changes the version when it decides
      Workflow.await(() -> !pending.isEmpty() || ticket.version() != projectedVersion);
      while (!pending.isEmpty()) {
        handle(pending.poll());
      }
      routing.startIfDue(ticket);
      if (ticket.version() != projectedVersion) {
        TicketState snapshot = ticket.snapshot();
        projectedVersion = snapshot.version();
        activities.project(snapshot);
        SearchAttributes.upsert(snapshot);
      }
      if (Workflow.getInfo().isContinueAsNewSuggested() && pending.isEmpty()) {
        Workflow.continueAsNew(ticket.snapshot());
      }
    }
  }

  @Override
  public void event(TicketEvent event) {
    pending.add(event);
  }

  @Override
  public TicketState state() {
    return ticket == null ? null : ticket.snapshot();
  }

  private void handle(TicketEvent event) {
    if (!ticket.firstSighting(event.eventId())) {
      return;
    }
    if (!ticket.isOpened()) {
      openFrom(event);
    }
    switch (event) {
      case TicketEvent.TopicOpened opened -> {}
      case TicketEvent.MessagePosted m -> {
        if (m.role().isStaff()) {
          routing.lockWarning(ticket.snapshot(), m.from(), m.eventId()).ifPresent(activities::post);
          ticket.agentReply(m.at(), m.from());
        } else {
          ticket.customerMessage(m.at(), m.text());
        }
        ticket.touch();
      }
      case TicketEvent.TopicClosed closed -> {}
      case TicketEvent.TopicReopened reopened -> {}
    }
  }

  /** forum_topic_created, or the first message we see of a topic we did not know. */
  private void openFrom(TicketEvent event) {
    String title =
        switch (event) {
          case TicketEvent.TopicOpened o -> o.title();
          case TicketEvent.MessagePosted m -> abbreviate(m.text());
          default -> "Topic " + ticket.threadId();
        };
    String text = event instanceof TicketEvent.MessagePosted m ? m.text() : null;
    ticket.open(event.at(), event.from(), title, text);
    activities.post(
        new OutboundMessage(
            ticket.id() + ":ack",
            ticket.chatId(),
            ticket.threadId(),
            "Thanks, we got your request <b>"
                + Html.escape(title)
                + "</b>. Ticket <code>"
                + ticket.id()
                + "</code> is in the queue; an agent will answer here.",
            OutboundMessage.LOW));
  }

  private static String abbreviate(String text) {
    if (text == null || text.isBlank()) {
      return "(no title)";
    }
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() <= 80 ? line : line.substring(0, 79) + "…";
  }
}
