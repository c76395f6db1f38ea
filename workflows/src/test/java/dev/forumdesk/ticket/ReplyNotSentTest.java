package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Relay mode: a reply written in the help desk on a CLOSED ticket was not sent to the customer (they
 * have another open ticket), and a follow-up run of that ticket opened meanwhile. Delivered as the
 * agent's message it would be that run's first response, a reply the customer never got; left out it
 * was in no trail (a WARN alone). The run takes it as {@link TicketEvent.ReplyNotSent}: audited
 * (REPLY_NOT_SENT, who, when, why), no response, no clock touched.
 */
class ReplyNotSentTest {
  static final TicketPolicy POLICY = TicketPolicy.defaults().withSupervisors(List.of(SUPERVISOR));
  /** How HelpDeskSync names a reply written in Request Tracker. */
  static final Person VIA_RT = new Person(0, "Enoch Root (via Request Tracker)", null);
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void aHelpDeskReplyNotSentIsInTheFollowUpsAuditAndIsNoResponse() {
    t.answered(1, "Payment question", POLICY, "We are checking it");
    t.resolveAndClose(1);
    t.skip(Duration.ofMinutes(1));
    t.customerSays(1, "One more question about payment 3");
    TicketState follow = t.await(1, s -> s.followUpOf() != null && s.opened());
    assertThat(follow.status()).isEqualTo(Status.NEW);
    t.skip(Duration.ofSeconds(20));
    Instant repliedAt = Instant.ofEpochSecond(t.now().getEpochSecond()); // after the follow-up opened
    TicketEvent.ReplyNotSent notSent = new TicketEvent.ReplyNotSent("hdr:request-tracker:92", repliedAt, VIA_RT,
        Role.AGENT, "request-tracker:Enoch Root",
        "not sent to Bob, who has an open ticket (topic 700019); Request Tracker was told");

    t.send(1, notSent);
    TicketState after = t.await(1, s -> s.seenEvents().contains("hdr:request-tracker:92"));
    t.send(1, notSent); // delivered again (a pull that sees it again)
    // and as the agent's message under the same id (a pull before the run's snapshot showed it): dropped
    t.send(1, new TicketEvent.MessagePosted("hdr:request-tracker:92", repliedAt, VIA_RT, Role.AGENT, 0,
        "We refunded it"));
    t.customerSays(1, "Hello?");
    TicketState later = t.await(1, s -> s.seenEvents().size() == after.seenEvents().size() + 1);

    assertThat(thisRun(later)).filteredOn(a -> a.event().equals("REPLY_NOT_SENT")).singleElement().satisfies(a -> {
      assertThat(a.at()).isEqualTo(repliedAt);
      assertThat(a.actor()).isEqualTo("request-tracker:Enoch Root");
      assertThat(a.reason()).startsWith("Enoch Root (via Request Tracker) replied on ")
          .endsWith(": not sent to Bob, who has an open ticket (topic 700019); Request Tracker was told"
              + " (no response: the customer never got it)");
    });
    assertThat(thisRun(later)).extracting(AuditEntry::event).doesNotContain("FIRST_RESPONSE", "REPLY_WHILE_CLOSED");
    assertThat(later.firstResponseAt()).isNull();
    assertThat(later.status()).isEqualTo(Status.NEW);
    assertThat(later.sla().firstResponseDue()).isEqualTo(follow.sla().firstResponseDue());

    // the first-response clock ran on: its breach is one
    t.skip(POLICY.firstResponseFor(Priority.NORMAL).plusMinutes(1));
    assertThat(t.await(1, s -> !s.sla().breaches().isEmpty()).sla().breaches()).isNotEmpty();
  }

  private static List<AuditEntry> thisRun(TicketState s) {
    List<String> events = s.audit().stream().map(AuditEntry::event).toList();
    return s.audit().subList(events.lastIndexOf("OPENED"), events.size());
  }
}
