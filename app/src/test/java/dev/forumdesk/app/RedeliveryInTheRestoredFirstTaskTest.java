package dev.forumdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.Dispatcher;
import dev.forumdesk.ingress.Ingress;
import dev.forumdesk.ingress.Relay;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.ingress.UpdateClassifier;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.InboxRow;
import dev.forumdesk.telegram.UpdateJson;
import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.JournalEntry;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketHarness;
import dev.forumdesk.ticket.TicketPolicy;
import dev.forumdesk.ticket.TicketState;
import dev.forumdesk.ticket.TicketWorkflow;
import dev.forumdesk.ticket.TicketWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore's redelivery of a journal's inbox rows (Dispatcher.deliverRestored) while the restored
 * run has not taken its first workflow task: the /hold arrives with the start, before the run applied
 * its journal. Held here for certain: the restored run's task queue gets its worker only once the
 * dispatcher's update is admitted.
 */
class RedeliveryInTheRestoredFirstTaskTest {
  private static final long CHAT = TicketHarness.CHAT;
  private static final String HELD = "restored-held";
  private static final ForumdeskConfig DESK = ConfigLoader.fromYaml("""
      support: {chat-id: %d, supervisors: [900001]}
      agents:
        - {id: 1001, name: Alice, username: alice}
      """.formatted(CHAT));
  private static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");
  private static final UpdateJson.Sender SAM = new UpdateJson.Sender(900001, "Sam", null, "en");

  @TempDir Path dir;
  private final TicketHarness t = new TicketHarness();
  private final WorkerFactory held = WorkerFactory.newInstance(t.client);
  private Database db;

  @AfterEach
  void close() {
    held.shutdownNow();
    t.close();
    if (db != null) {
      db.close();
    }
  }

  /**
   * Bob wrote to his resolved ticket (it reopens) and Sam typed /hold; both were answered 200 and wait
   * in the inbox at the kill. Restored, the journal reopens the ticket and holds it. The /hold's
   * redelivery in the run's first task was refused against the snapshot ("Cannot hold a ticket that is
   * RESOLVED.", posted in the topic, the row settled), while the ticket went ON_HOLD all the same. Now
   * the dispatcher gets the journal's answer: accepted, the row left for the projection.
   */
  @Test
  void aHoldRedeliveredInTheRestoredRunsFirstTaskIsAnsweredAsItsJournalAppliedIt() throws Exception {
    var worker = held.newWorker(HELD, WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class);
    worker.registerActivitiesImplementations(t.activities, t.routing);
    String id = TicketWorkflow.id(CHAT, 70);
    t.open(70, "Refund", TicketPolicy.defaults());
    t.agentSays(70, "Refunded");
    t.command(70, TicketHarness.AGENT, Role.AGENT, "resolve", "");
    TicketState resolved = t.await(70, x -> x.status() == Status.RESOLVED);

    db = Database.embedded(dir);
    Inbox inbox = new Inbox(db);
    UpdateClassifier classifier = new UpdateClassifier(DESK, (c, th) -> Optional.empty());
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Ingress ingress = new Ingress(inbox, classifier, metrics, () -> {});
    long date = UpdateJson.now();
    ingress.accept(UpdateJson.text(801, CHAT, 70, 801, BOB, "Still broken", date));
    ingress.accept(UpdateJson.text(802, CHAT, 70, 802, SAM, "/hold", date));
    List<String> answered = new CopyOnWriteArrayList<>();
    Dispatcher dispatcher = new Dispatcher(inbox, classifier, new TicketGateway(t.client, DESK, HELD, false),
        (c, o) -> answered.add(c.request().eventId() + " " + o), metrics, 2, Relay.OFF);
    t.client.newUntypedWorkflowStub(id).terminate("lost with the embedded server");

    // Restore: the journal from the inbox's rows, the run started, the rows delivered again at once
    List<InboxRow> rows = inbox.unappliedFor(id, Instant.now().plusSeconds(1));
    List<JournalEntry> journal = rows.stream()
        .map(r -> dispatcher.journalEntry(r, id).orElseThrow().accepted(r.receivedAt())).toList();
    assertThat(journal).extracting(JournalEntry::eventId).containsExactly("u801", "u802");
    t.client.newUntypedWorkflowStub("TicketWorkflow",
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(HELD).build()).start(resolved, journal);
    CompletableFuture<Void> redelivered = CompletableFuture.runAsync(() -> dispatcher.deliverRestored(rows));
    t.awaitUpdateAdmitted(id, "u802");
    held.start();

    redelivered.get(30, TimeUnit.SECONDS);
    assertThat(answered).singleElement().satisfies(a -> assertThat(a).startsWith("u802 Accepted"));
    assertThat(status(802)).as("accepted: applied once a projection shows it, not settled as refused")
        .isEqualTo(Inbox.DELIVERED);
    TicketState s = t.await(70, x -> x.status() == Status.ON_HOLD);
    assertThat(s.audit()).extracting(AuditEntry::event).containsSubsequence("REOPENED", "ON_HOLD");
    assertThat(s.audit()).filteredOn(a -> a.event().equals("ON_HOLD")).hasSize(1);
    assertThat(s.seenEvents()).contains("u801", "u802");
  }

  private String status(long updateId) {
    return db.inboxJdbi().withHandle(h -> h.createQuery("select status from inbox where update_id = :id")
        .bind("id", updateId).mapTo(String.class).one());
  }
}
