package dev.forumdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.forumdesk.assignment.Assigner;
import dev.forumdesk.assignment.Roster;
import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.json.Json;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.ForumTopic;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.PersonRef;
import dev.forumdesk.ticket.Projection;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketPolicy;
import dev.forumdesk.ticket.TicketState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same migrations and the same store behaviour on the embedded H2 and on a real PostgreSQL
 * server: what the inbox, outbox and read model promise holds on both.
 */
class StoreContractTest {
  @TempDir static Path dir;
  static PostgresServer postgres;
  static Database h2;
  static Database pg;

  @BeforeAll
  static void start() throws Exception {
    h2 = Database.embedded(dir);
    postgres = PostgresServer.start();
    pg = Database.postgres(postgres.jdbcUrl(), postgres.user(), "");
  }

  @AfterAll
  static void stop() throws Exception {
    h2.close();
    pg.close();
    postgres.close();
  }

  static Stream<Database> databases() {
    return Stream.of(h2, pg);
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void inboxStoresAnUpdateOnceAndKeepsItPendingUntilDelivered(Database db) {
    Inbox inbox = new Inbox(db);
    long id = System.nanoTime();
    assertThat(inbox.append(id, Optional.of("ticket-1-2"), "message", "{\"update_id\":1}")).isTrue();
    assertThat(inbox.append(id, Optional.of("ticket-1-2"), "message", "{\"update_id\":1}")).isFalse();
    assertThat(inbox.pending(1000)).anyMatch(r -> r.updateId() == id);
    inbox.retryLater(id, Duration.ofMinutes(1), "temporal down");
    assertThat(inbox.pending(1000)).filteredOn(r -> r.updateId() == id).singleElement()
        .satisfies(r -> assertThat(r.attempts()).isEqualTo(1));
    inbox.delivered(id);
    assertThat(inbox.pending(1000)).noneMatch(r -> r.updateId() == id);
    assertThat(inbox.lastUpdateId()).isGreaterThanOrEqualTo(id);
  }

  /**
   * The waiting line's order and its alert's needs, on both databases (audit 9 F5, F9): the ticket
   * the read model now shows HIGH goes first; the line's oldest ticket waits for a skill.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void theWaitingLineServesByThePriorityTheReadModelShowsThenByAge(Database db) {
    String run = "line-" + System.nanoTime() + "-";
    List<AgentConfig> agents = List.of(
        new AgentConfig(8801, "Alice", null, "general", List.of("en"), List.of("billing"), 1, 1),
        new AgentConfig(8802, "Boris", null, "general", List.of("en"), List.of(), 1, 1));
    Roster roster = new Roster(db, () -> agents);
    roster.sync();
    Assigner assigner = new Assigner(db, roster);
    var en = new AgentRequirements("en", null, null, 1, null);
    var billing = new AgentRequirements("en", "billing", null, 1, null);
    BiFunction<String, AgentRequirements, Boolean> ask =
        (t, r) -> assigner.assign(new AssignRequest(run + t, r, 1.0)).assigned();
    assertThat(ask.apply("a", billing)).isTrue();
    assertThat(ask.apply("b", en)).isTrue();
    assertThat(ask.apply("refund", billing)).isFalse();
    for (String t : List.of("normal", "high")) {
      assertThat(ask.apply(t, en)).isFalse();
      TestTickets.project(db, run + t, Status.NEW);
    }
    db.jdbi().useHandle(h -> h.execute("update tickets set priority = 'HIGH' where id = ?", run + "high"));
    TestTickets.project(db, run + "b", Status.RESOLVED);
    assertThat(roster.lineNeeds(5)).as("Boris is free: only the billing ticket is blocked")
        .containsExactly("skill billing (Alice at cap)");
    assertThat(assigner.serveLine("b resolved")).containsExactly(run + "high");
  }

  /** A refused command's row is settled: a restart of the embedded Temporal server leaves it (audit 6 F7). */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aSettledRowIsNotQueuedAgainAfterARestart(Database db) {
    Inbox inbox = new Inbox(db);
    long refused = System.nanoTime();
    long accepted = refused + 1;
    inbox.append(refused, Optional.of("ticket-1-3"), "command", "{}");
    inbox.append(accepted, Optional.of("ticket-1-3"), "command", "{}");
    inbox.settled(refused);
    inbox.delivered(accepted);
    assertThat(inbox.pending(1000)).noneMatch(r -> r.updateId() == refused || r.updateId() == accepted);
    inbox.requeueUnapplied();
    assertThat(inbox.pending(1000)).extracting(InboxRow::updateId).contains(accepted).doesNotContain(refused);
  }

  /**
   * Lifecycle rules 13's look at a ticket's backlog: its rows not applied yet (pending, or delivered and
   * not projected), oldest first, with its customer's relay rows; not an applied or settled row, nor
   * another ticket's.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aTicketsBacklogIsItsRowsNotAppliedYetAndItsCustomersPrivateMessages(Database db) {
    Inbox inbox = new Inbox(db);
    long first = System.nanoTime();
    String ticket = "ticket-backlog-" + first;
    long customer = first % 1_000_000;
    inbox.append(first, Optional.of(ticket), "topic-created", "{}");
    inbox.append(first + 1, Optional.of(ticket), "message", "{}");
    inbox.append(first + 2, Optional.of(Inbox.relayKey(customer)), "message", "{}");
    inbox.append(first + 3, Optional.of(ticket), "command", "{}");
    inbox.append(first + 4, Optional.of(ticket + "-other"), "message", "{}");
    inbox.append(first + 5, Optional.of(ticket), "message", "{}");
    inbox.settled(first);
    inbox.delivered(first + 1);
    inbox.settled(first + 3);

    assertThat(inbox.backlog(ticket, customer)).containsExactly(first + 1, first + 2, first + 5);
    assertThat(inbox.backlog(ticket, null)).as("no customer yet: its topic's rows only")
        .containsExactly(first + 1, first + 5);
  }

  /** An Idempotency-Key is the first request's: its retry claims it again, another request does not (audit 6 F6). */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void anIdempotencyKeyBelongsToTheRequestItWasFirstUsedFor(Database db) {
    IdempotencyKeys keys = new IdempotencyKeys(db);
    String key = "k" + System.nanoTime();
    assertThat(keys.claim(key, "a".repeat(64))).isTrue();
    assertThat(keys.claim(key, "a".repeat(64))).as("a retry").isTrue();
    assertThat(keys.claim(key, "b".repeat(64))).as("another request").isFalse();
    assertThat(keys.claim("x".repeat(IdempotencyKeys.MAX_LENGTH), "b".repeat(64))).isTrue();
  }

  /**
   * {@code api.idempotency-keep}: a key first used longer ago is forgotten (used again, it is a new
   * key); a fresh one still belongs to its request.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void anIdempotencyKeyOlderThanTheKeepIsForgottenAndAFreshOneKept(Database db) {
    IdempotencyKeys keys = new IdempotencyKeys(db);
    String old = "old" + System.nanoTime();
    String fresh = "fresh" + System.nanoTime();
    keys.claim(old, "a".repeat(64));
    keys.claim(fresh, "a".repeat(64));
    db.jdbi().useHandle(h -> h.createUpdate("update api_idempotency_keys set created_at = :at where idempotency_key = :k")
        .bind("at", Instant.now().minus(Duration.ofHours(25))).bind("k", old).execute());
    assertThat(keys.forgetOlderThan(Duration.ofDays(1))).isGreaterThanOrEqualTo(1);
    assertThat(keys.claim(old, "b".repeat(64))).as("forgotten: another request may take it").isTrue();
    assertThat(keys.claim(fresh, "a".repeat(64))).as("a retry of the fresh key").isTrue();
    assertThat(keys.claim(fresh, "b".repeat(64))).as("the fresh key is still its request's").isFalse();
  }

  /**
   * Audit 10, F2: an API action answered 200 is kept, in the order it came, until a projection of
   * its ticket shows it among its seen events; one not answered 200 (refused, Temporal unreachable)
   * is not, and a retry of an accepted one whose answer is lost leaves the first request's row.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void anAcceptedApiActionIsKeptUntilAProjectionOfItsTicketShowsIt(Database db) {
    ApiActions actions = new ApiActions(db);
    TicketState s = TestTickets.withVersionAndStatus(TestTickets.unopenedTicket(), 5, Status.IN_PROGRESS);
    CommandRequest escalate = apiAction("escalate");
    CommandRequest hold = apiAction("hold");
    CommandRequest refused = apiAction("resume");
    for (CommandRequest r : List.of(escalate, hold, refused)) {
      actions.sending(s.id(), r);
    }
    actions.accepted(escalate.eventId());
    actions.accepted(hold.eventId());
    actions.notAccepted(refused.eventId());
    actions.sending(s.id(), escalate); // a retry under the same key, its answer lost (503)
    actions.notAccepted(escalate.eventId());
    assertThat(unappliedOf(actions, s.id())).containsExactly(escalate, hold);

    new TicketStore(db).save(s.withHistory(s.audit(), List.of("u1", escalate.eventId()), s.policy()));
    assertThat(unappliedOf(actions, s.id())).as("the projection shows the escalation").containsExactly(hold);
    actions.forget(hold.eventId());
    assertThat(unappliedOf(actions, s.id())).isEmpty();
  }

  private static CommandRequest apiAction(String name) {
    return new CommandRequest("api:" + name + System.nanoTime(), Instant.parse("2026-11-25T10:00:00Z"),
        new Person(900001, "Sam", "sam"), Role.SUPERVISOR, name, "why not", "api");
  }

  private static List<CommandRequest> unappliedOf(ApiActions actions, String ticketId) {
    return actions.unapplied().stream().filter(a -> a.ticketId().equals(ticketId)).map(ApiActions.Accepted::request)
        .toList();
  }

  /**
   * The list's order (newest first, the id among tickets of one instant, a ticket without a creation
   * time first) and its total, which the API sends as X-Total-Count, over the V24 index: every page
   * of the ordered whole, and one count for the filter that matches the list.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void theListPagesNewestFirstAndTheCountMatchesIt(Database db) {
    TicketStore store = new TicketStore(db);
    String queue = "q" + System.nanoTime();
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    Object[][] rows = {{"b", t, "NEW"}, {"a", t, "RESOLVED"}, {"c", t.plusSeconds(60), "IN_PROGRESS"},
        {"d", t.minusSeconds(60), "NEW"}, {"e", null, "NEW"}, {"f", t.plusSeconds(30), "CLOSED"}};
    db.jdbi().useHandle(h -> {
      for (Object[] r : rows) {
        TicketState s = TestTickets.unopenedTicket();
        h.createUpdate("insert into tickets (id, chat_id, thread_id, status, priority, level, queue, created_at,"
                + " updated_at, version, state) values (:id, -100, 1, :status, 'NORMAL', 1, :queue, :at, :now, 1, :state)")
            .bind("id", queue + "-" + r[0]).bind("status", (String) r[2]).bind("queue", queue)
            .bind("at", (Instant) r[1]).bind("now", Instant.now())
            .bind("state", Json.write(((com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().valueToTree(s))
                .put("id", queue + "-" + r[0]).put("status", (String) r[2]))).execute();
      }
    });
    List<String> newest = List.of("e", "c", "f", "a", "b", "d").stream().map(id -> queue + "-" + id).toList();
    for (int limit = 1; limit <= 4; limit++) {
      List<String> paged = new java.util.ArrayList<>();
      for (int offset = 0; offset < newest.size(); offset += limit) {
        store.list(new TicketStore.Filter(Set.of(), Set.of(), Set.of(queue), Set.of(), limit), offset)
            .forEach(s -> paged.add(s.id()));
      }
      assertThat(paged).as("pages of " + limit).isEqualTo(newest);
    }
    Set<Status> open = Set.of(Status.NEW, Status.IN_PROGRESS, Status.ON_HOLD, Status.ESCALATED, Status.STALE);
    assertThat(store.list(new TicketStore.Filter(open, Set.of(), Set.of(queue), Set.of(), 100)))
        .extracting(TicketState::id).containsExactly(queue + "-e", queue + "-c", queue + "-b", queue + "-d");
    assertThat(store.count(new TicketStore.Filter(Set.of(), Set.of(), Set.of(queue), Set.of(), 1))).isEqualTo(6);
    assertThat(store.count(new TicketStore.Filter(open, Set.of(), Set.of(queue), Set.of(), 1))).isEqualTo(4);
    assertThat(store.count(new TicketStore.Filter(open, Set.of(), Set.of(queue), Set.of(), 1)))
        .isEqualTo(store.countByStatus(new TicketStore.Filter(open, Set.of(), Set.of(queue), Set.of(), 1)).values()
            .stream().mapToLong(Long::longValue).sum());
  }

  /**
   * Telegram dates a topic in whole seconds, so a burst opens many tickets in one second: newest
   * first lists them by their thread, highest first (thread 1000 before 999, not text order), on every
   * page alike (audit 16b F5.2).
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void ticketsOfOneSecondAreListedByTheirThreadHighestFirst(Database db) {
    TicketStore store = new TicketStore(db);
    String queue = "q" + System.nanoTime();
    Instant t = Instant.parse("2026-11-25T12:09:56Z");
    List<Long> threads = new java.util.ArrayList<>(java.util.stream.LongStream.rangeClosed(995, 1006).boxed().toList());
    java.util.Collections.shuffle(threads, new java.util.Random(16));
    db.jdbi().useHandle(h -> {
      for (long thread : threads) {
        String id = "ticket--100" + queue.substring(1) + "-" + thread;
        h.createUpdate("insert into tickets (id, chat_id, thread_id, status, priority, level, queue, created_at,"
                + " updated_at, version, state) values (:id, -100, :thread, 'NEW', 'NORMAL', 1, :queue, :at, :now, 1,"
                + " :state)")
            .bind("id", id).bind("thread", thread).bind("queue", queue).bind("at", t).bind("now", Instant.now())
            .bind("state", Json.write(((com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().valueToTree(
                TestTickets.unopenedTicket())).put("id", id))).execute();
      }
      h.createUpdate("insert into tickets (id, chat_id, thread_id, status, priority, level, queue, created_at,"
              + " updated_at, version, state) values (:id, -100, 7, 'NEW', 'NORMAL', 1, :queue, :at, :now, 1, :state)")
          .bind("id", queue + "-later").bind("queue", queue).bind("at", t.plusSeconds(1)).bind("now", Instant.now())
          .bind("state", Json.write(((com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().valueToTree(
              TestTickets.unopenedTicket())).put("id", queue + "-later"))).execute();
    });
    List<String> newest = new java.util.ArrayList<>(List.of(queue + "-later"));
    for (long thread = 1006; thread >= 995; thread--) {
      newest.add("ticket--100" + queue.substring(1) + "-" + thread);
    }
    assertThat(store.list(new TicketStore.Filter(Set.of(), Set.of(), Set.of(queue), Set.of(), 100)))
        .extracting(TicketState::id).isEqualTo(newest);
    for (int limit : new int[] {1, 5, 6}) {
      List<String> paged = new java.util.ArrayList<>();
      for (int offset = 0; offset < newest.size(); offset += limit) {
        store.list(new TicketStore.Filter(Set.of(), Set.of(), Set.of(queue), Set.of(), limit), offset)
            .forEach(s -> paged.add(s.id()));
      }
      assertThat(paged).as("pages of " + limit).isEqualTo(newest);
    }
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void outboxEnqueuesByKeyOnceAndRecordsTheOutcome(Database db) {
    Outbox outbox = new Outbox(db);
    String key = "k" + System.nanoTime();
    assertThat(outbox.enqueue(MessageKind.OTHER, key, -100, 5L, "sendMessage", "{}", 5, "ticket-x", "{\"key\":\"f\"}")).isTrue();
    assertThat(outbox.enqueue(MessageKind.OTHER, key, -100, 5L, "sendMessage", "{}", 5)).isFalse();
    OutboxRow row = outbox.queue(1000).stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    assertThat(row.threadId()).isEqualTo(5L);
    assertThat(outbox.refusalOf(row.id())).hasValueSatisfying(r -> assertThat(r.ticketId()).isEqualTo("ticket-x"));
    outbox.sent(row.id(), 777L);
    assertThat(outbox.queue(1000)).noneMatch(r -> r.key().equals(key));
  }

  /**
   * A message told once whatever its recipients (the day's report, audit 8 F16): enqueued together,
   * unless one of its family ({@code family} or {@code family:…}) is there; a LIKE wildcard in the
   * family is a plain character.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aFamilyOfMessagesIsEnqueuedTogetherOnceWhateverItsRecipients(Database db) {
    Outbox outbox = new Outbox(db);
    String family = "report_" + System.nanoTime();
    assertThat(outbox.anyOf(family)).isFalse();
    assertThat(outbox.enqueueUnlessAnyOf(MessageKind.OTHER, family, List.of(
        new OutboundMessage(family + ":dm:1", 1, null, "r", OutboundMessage.LOW),
        new OutboundMessage(family + ":dm:2", 2, null, "r", OutboundMessage.LOW)))).isEqualTo(2);
    assertThat(outbox.anyOf(family)).isTrue();
    assertThat(outbox.enqueueUnlessAnyOf(MessageKind.OTHER, family, List.of(new OutboundMessage(family, -100, null, "r",
        OutboundMessage.LOW)))).as("told by private message already").isZero();
    assertThat(outbox.status(family)).isEmpty();

    String other = family.replace("_", "x");
    assertThat(outbox.anyOf(other)).as("_ is no wildcard").isFalse();
    assertThat(outbox.anyOf(family.substring(0, family.length() - 1))).as("a prefix of the date is another family")
        .isFalse();
    assertThat(outbox.enqueueUnlessAnyOf(MessageKind.OTHER, other, List.of(new OutboundMessage(other, -100, null, "r",
        OutboundMessage.LOW)))).isEqualTo(1);
  }

  /** A role without the sender takes one row by its key (its alerts), once, and never one a sender took. */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aPendingRowIsClaimedByItsKeyOnce(Database db) {
    Outbox outbox = new Outbox(db);
    String key = "claim" + System.nanoTime();
    outbox.enqueue(MessageKind.OTHER, key, -100, null, "sendMessage", "{\"text\":\"hi\"}", 0);
    assertThat(outbox.claim(key)).hasValueSatisfying(r -> {
      assertThat(r.chatId()).isEqualTo(-100);
      assertThat(r.payload()).contains("hi");
    });
    assertThat(outbox.status(key)).hasValue("SENDING");
    assertThat(outbox.claim(key)).as("taken").isEmpty();
    assertThat(outbox.claim("no-such-key")).isEmpty();
  }

  /**
   * The queue keeps each topic's messages in the order they were enqueued; an urgent message takes
   * its topic's older ones ahead with it, urgent topics go in the order their urgency arose, and a
   * title edit (no message) takes its own turn.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void theOutboxQueueKeepsEachTopicsOrderAndPutsTheMostUrgentTopicFirst(Database db) {
    Outbox outbox = new Outbox(db);
    long chat = -System.nanoTime();
    String run = "q" + chat + ":";
    record Row(String key, long thread, String method, int priority) {}
    List<Row> rows = List.of(
        new Row("ack A", 1, "sendMessage", OutboundMessage.LOW),
        new Row("ack B", 2, "sendMessage", OutboundMessage.LOW),
        new Row("ack C", 3, "sendMessage", OutboundMessage.LOW),
        new Row("title A", 1, "editForumTopic", OutboundMessage.NORMAL),
        new Row("reply B", 2, "sendMessage", OutboundMessage.NORMAL),
        new Row("breach C", 3, "sendMessage", OutboundMessage.URGENT),
        new Row("breach A", 1, "sendMessage", OutboundMessage.URGENT),
        new Row("notice C", 3, "sendMessage", OutboundMessage.LOW));
    rows.forEach(r -> outbox.enqueue(MessageKind.OTHER, run + r.key(), chat, r.thread(), r.method(), "{}", r.priority()));
    assertThat(outbox.enqueue(MessageKind.OTHER, run + "ack B", chat, 2L, "sendMessage", "{}", OutboundMessage.URGENT))
        .as("a key already queued changes nothing").isFalse();
    send(outbox, run + "dm", 5001, null, OutboundMessage.NORMAL);

    assertThat(queuedOf(outbox, run))
        .containsExactly("ack C", "breach C", "ack A", "breach A", "title A", "ack B", "reply B", "dm", "notice C");
  }

  /**
   * A chat's General topic holds every ticket's notices (the staff forum), and there an urgent
   * message takes only its own ticket's older messages ahead with it: a breach lent its turn to
   * every ticket's waiting "Escalated to Level 2" notice, which then went before the Level 2 topics
   * they point to, and the breach after all of them (audit 14, F1 and F2). A message with no
   * ticket still takes the whole topic's, and a ticket's own topic keeps its order as before.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void inAGeneralTopicAnUrgentMessageTakesOnlyItsOwnTicketsOlderMessagesAhead(Database db) {
    Outbox outbox = new Outbox(db);
    long forum = -System.nanoTime();
    String run = "general" + forum + ":";
    int notice = OutboundMessage.NORMAL + 2;
    int topic = OutboundMessage.NORMAL + 1;
    outbox.enqueue(MessageKind.ESCALATED, run + "notice A", forum, null, "sendMessage", "{}", notice, "ticket-a", null);
    outbox.enqueue(MessageKind.OTHER, run + "topic A", forum, null, "createForumTopic", "{}", topic);
    outbox.enqueue(MessageKind.ESCALATED, run + "notice B", forum, null, "sendMessage", "{}", notice, "ticket-b", null);
    outbox.enqueue(MessageKind.OTHER, run + "topic B", forum, null, "createForumTopic", "{}", topic);
    outbox.enqueue(MessageKind.OTHER, run + "reply C", forum, null, "sendMessage", "{}", OutboundMessage.NORMAL,
        "ticket-c", null);
    outbox.enqueue(MessageKind.OTHER, run + "breach C", forum, null, "sendMessage", "{}", OutboundMessage.URGENT,
        "ticket-c", null);
    outbox.enqueue(MessageKind.OTHER, run + "in C's topic", forum, 9L, "sendMessage", "{}", OutboundMessage.LOW,
        "ticket-c", null);
    outbox.enqueue(MessageKind.OTHER, run + "breach in C's topic", forum, 9L, "sendMessage", "{}",
        OutboundMessage.URGENT, "ticket-d", null);

    assertThat(queuedOf(outbox, run))
        .as("C's breach with its older reply, before the topics and the other tickets' notices after them;"
            + " in a ticket's topic every older message goes with the urgent one")
        .containsExactly("reply C", "breach C", "in C's topic", "breach in C's topic", "topic A", "topic B",
            "notice A", "notice B");

    send(outbox, run + "supervisors", forum, null, OutboundMessage.URGENT);
    assertThat(queuedOf(outbox, run))
        .as("a notice about no ticket keeps the whole General topic's order")
        .containsExactly("reply C", "breach C", "in C's topic", "breach in C's topic", "notice A", "notice B",
            "supervisors", "topic A", "topic B");
    settle(outbox, run);
  }

  /**
   * The support group's backlog filled the whole read: a private chat's message enqueued after
   * 250 of the group's waited until the group had sent all but 199 of them (at 20 a minute). The
   * read takes each chat's oldest rows first and still hands them over in turn order.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void theQueueReadsEveryChatsOldestRowsBehindAnotherChatsBacklog(Database db) {
    Outbox outbox = new Outbox(db);
    long group = -System.nanoTime();
    String run = "fair" + group + ":";
    for (int i = 0; i < 250; i++) {
      send(outbox, run + "group " + i, group, 1000L + i, OutboundMessage.NORMAL);
    }
    send(outbox, run + "dm", -group % 1_000_000_000L, null, OutboundMessage.NORMAL);

    List<String> read = outbox.queue(200).stream().map(OutboxRow::key).filter(k -> k.startsWith(run))
        .map(k -> k.substring(run.length())).toList();
    assertThat(read).contains("dm");
    List<String> groupRows = read.stream().filter(k -> !k.equals("dm")).toList();
    assertThat(groupRows).as("the group's oldest rows, in order").isNotEmpty()
        .isEqualTo(IntStream.range(0, groupRows.size()).mapToObj(i -> "group " + i).toList());
    assertThat(read.getLast()).as("handed over in turn order: the DM's turn is the latest").isEqualTo("dm");
    settle(outbox, run);
  }

  /**
   * A message put back for a retry keeps its place before the messages enqueued while it was
   * under way: an urgent one enqueued during the call lent its turn only to the rows then
   * PENDING, so the retried message came after it.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aMessageRetriedAfterItsCallKeepsItsPlaceBeforeAnUrgentOneEnqueuedDuringIt(Database db) {
    Outbox outbox = new Outbox(db);
    long chat = -System.nanoTime();
    String run = "retry" + chat + ":";
    send(outbox, run + "question", chat, 7L, OutboundMessage.NORMAL);
    OutboxRow question = outbox.queue(1000).stream().filter(r -> r.key().equals(run + "question")).findFirst()
        .orElseThrow();
    outbox.attempting(List.of(question));
    send(outbox, run + "breach", chat, 7L, OutboundMessage.URGENT);
    outbox.retryLater(question.id(), Duration.ZERO, "502 Bad Gateway");

    assertThat(queuedOf(outbox, run)).containsExactly("question", "breach");
  }

  /**
   * Rows pending when V12 gave the outbox its turns kept their own priority as their turn, so a
   * topic's URGENT message waiting behind its LOW acknowledgement went first; an upgrade now
   * gives each waiting message the turn it would have had from its enqueue.
   */
  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void messagesPendingAtTheUpgradeToTopicOrderKeepTheirTopicsOrder(FreshDatabase fresh) {
    FreshDatabase earlier = fresh.migratedTo("11");
    record Waiting(String key, long thread, int priority) {}
    List<Waiting> waiting = List.of(
        new Waiting("ack 1", 1, OutboundMessage.LOW),
        new Waiting("reply 2", 2, OutboundMessage.NORMAL),
        new Waiting("breach 1", 1, OutboundMessage.URGENT),
        new Waiting("notice 1", 1, OutboundMessage.LOW));
    Jdbi.create(earlier.url(), earlier.user(), "").useHandle(h -> waiting.forEach(r -> h.createUpdate(
            "insert into outbox (idem_key, chat_id, thread_id, method, payload, priority, status, next_attempt_at,"
                + " created_at) values (:key, -100, :thread, 'sendMessage', '{}', :priority, 'PENDING', :now, :now)")
        .bind("key", r.key()).bind("thread", r.thread()).bind("priority", r.priority()).bind("now", Instant.now())
        .execute()));

    try (Database db = earlier.open()) {
      Outbox outbox = new Outbox(db);
      outbox.enqueue(MessageKind.OTHER, "later 1", -100, 1L, "sendMessage", "{}", OutboundMessage.NORMAL);
      assertThat(outbox.queue(100)).extracting(OutboxRow::key)
          .containsExactly("ack 1", "breach 1", "reply 2", "notice 1", "later 1");
    }
  }

  /**
   * V30 gave the outbox its kind column: rows queued before it have the kind their key shows, as the
   * ticket workflow keys them (its cause after the run), on both stores; rows enqueued since have the
   * kind their enqueuer told, whatever their key.
   */
  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void rowsQueuedBeforeTheOutboxKindHaveTheKindTheirKeyShows(FreshDatabase fresh) {
    FreshDatabase earlier = fresh.migratedTo("29");
    String run = "ticket--100-7";
    String followUp = run + ":after:0b9c";
    Map<String, MessageKind> queued = new LinkedHashMap<>();
    queued.put(run + ":first-response-warning:dm:900002", MessageKind.FIRST_RESPONSE_WARNING);
    queued.put(run + ":first-response-warning:fallback:900002", MessageKind.FIRST_RESPONSE_WARNING);
    queued.put(followUp + ":first-response-warning", MessageKind.FIRST_RESPONSE_WARNING);
    queued.put(run + ":next-response-breach:2026-12-04T09:41:00Z:dm:900002", MessageKind.NEXT_RESPONSE_BREACH);
    queued.put(run + ":resolution-breach:2026-12-04T09:41:00Z", MessageKind.RESOLUTION_BREACH);
    queued.put(run + ":stale:2026-12-04T09:41:00Z:dm:900002", MessageKind.STALE_REMINDER);
    queued.put(run + ":first-response-breach:staff", MessageKind.FIRST_RESPONSE_BREACH);
    queued.put(run + ":escalation-chain:staff:dm:900002", MessageKind.ESCALATION_CHAIN);
    queued.put(run + ":l2-summary", MessageKind.LEVEL2_SUMMARY);
    queued.put(run + ":level2-summary:dm:900002", MessageKind.LEVEL2_SUMMARY);
    queued.put(run + ":reply:e1", MessageKind.OTHER);
    queued.put(run + ":ack", MessageKind.OTHER);
    queued.put("relay-start:u5", MessageKind.OTHER);
    queued.put(run + ":first-response-warnings-of-another-kind", MessageKind.OTHER);
    Jdbi.create(earlier.url(), earlier.user(), "").useHandle(h -> queued.keySet().forEach(key -> h.createUpdate(
            "insert into outbox (idem_key, chat_id, thread_id, method, payload, priority, status, next_attempt_at,"
                + " created_at, turn_priority, turn_id) values (:key, 900002, null, 'sendMessage', '{}', 0, 'PENDING',"
                + " :now, :now, 0, 0)")
        .bind("key", key).bind("now", Instant.now()).execute()));

    try (Database db = earlier.open()) {
      Outbox outbox = new Outbox(db);
      assertThat(outbox.queue(100)).extracting(OutboxRow::key, OutboxRow::kind).containsExactlyInAnyOrderElementsOf(
          queued.entrySet().stream().map(e -> tuple(e.getKey(), e.getValue())).toList());
      queued.forEach((key, k) -> assertThat(MessageKind.ofWorkflowKey(key)).as("as the migration read " + key).isEqualTo(k));

      outbox.enqueue(MessageKind.FIRST_RESPONSE_WARNING, "warning of a new kind of key", 900002, null, "sendMessage",
          "{}", 0);
      outbox.enqueue(MessageKind.OTHER, run + ":first-response-warning:dm:900003", 900003, null, "sendMessage", "{}", 0);
      assertThat(outbox.queue(100)).filteredOn(r -> r.chatId() == 900003 || r.key().startsWith("warning of"))
          .extracting(OutboxRow::key, OutboxRow::kind).containsExactlyInAnyOrder(
              tuple("warning of a new kind of key", MessageKind.FIRST_RESPONSE_WARNING),
              tuple(run + ":first-response-warning:dm:900003", MessageKind.OTHER));
    }
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aDaysRunsKeepAClosedRunThatAFollowUpReplacedInTheTicketsRow(Database db) {
    TicketStore store = new TicketStore(db);
    TicketState t = TestTickets.unopenedTicket();
    Instant day = TestTickets.CREATED.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    store.save(TestTickets.run(t, "run-1", 4, Status.RESOLVED, TestTickets.CREATED));
    store.save(TestTickets.run(t, "run-1", 5, Status.CLOSED, TestTickets.CREATED));
    store.save(TestTickets.run(t, "run-1", 5, Status.CLOSED, TestTickets.CREATED)); // a retry: kept once
    // the customer writes again: the follow-up run's snapshot replaces the ticket's row
    store.save(TestTickets.run(t, "run-2", 6, Status.NEW, TestTickets.CREATED.plusSeconds(3_600)));

    assertThat(store.find(t.id())).hasValueSatisfying(x -> assertThat(x.lifecycle().runId()).isEqualTo("run-2"));
    assertThat(store.createdBetween(day, day.plus(Duration.ofDays(1))))
        .filteredOn(x -> x.id().equals(t.id()))
        .extracting(x -> x.lifecycle().runId() + " " + x.status())
        .containsExactly("run-1 CLOSED", "run-2 NEW");
  }

  /**
   * The workflow task that auto-closed a run projected CLOSED, then Temporal discarded it: the
   * customer wrote while it ran. Run again with the message, it reopened the ticket, and projects
   * that under the same version. The read model ends as the workflow is: open, assigned to the same
   * agent with the same weight, and not among the day's closed runs.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aCloseTakenBackByTheWorkflowIsTakenBackInTheReadModel(Database db) {
    TicketStore store = new TicketStore(db);
    TicketState t = TestTickets.unopenedTicket();
    TicketState resolved = runWithAudit(t, 5, Status.RESOLVED, "OPENED", "RESOLVED");
    store.apply(Projection.full(resolved));
    db.jdbi().useHandle(h -> h.createUpdate("insert into assignments (ticket_id, agent_id, weight, assigned_at, reason,"
        + " ticket_open) values (:id, 1001, 2.5, current_timestamp, 'lowest load', false)").bind("id", t.id()).execute());

    TicketState discarded = runWithAudit(t, 7, Status.CLOSED, "OPENED", "RESOLVED", "CLOSED");
    store.apply(Projection.after(Projection.Mark.of(resolved), discarded));
    assertThat(runsOfTheDay(store, t)).containsExactly(Status.CLOSED);
    TicketState reopened = runWithAudit(t, 7, Status.IN_PROGRESS, "OPENED", "RESOLVED", "REOPENED");
    assertThatThrownBy(() -> store.apply(Projection.after(Projection.Mark.of(resolved), reopened)))
        .as("the delta follows the snapshot before the discarded close").isInstanceOf(Projection.Gap.class);
    store.apply(Projection.full(reopened)); // as the workflow does after a gap

    assertThat(store.find(t.id())).contains(reopened);
    assertThat(runsOfTheDay(store, t)).as("not a closed run").containsExactly(Status.IN_PROGRESS);
    assertThat(counted(db, t.id())).as("on the agent's load again").isTrue();
    String assignment = db.jdbi().withHandle(h -> h.createQuery(
            "select agent_id, weight, reason from assignments where ticket_id = :id")
        .bind("id", t.id()).map((rs, ctx) -> rs.getLong(1) + " " + rs.getDouble(2) + " " + rs.getString(3)).one());
    assertThat(assignment).isEqualTo("1001 2.5 lowest load");

    store.apply(Projection.full(reopened)); // a retry changes nothing
    store.apply(Projection.after(Projection.Mark.of(resolved), reopened)); // nor does a retried delta
    assertThat(store.find(t.id())).contains(reopened);
  }

  /** The same when the re-run's reopen made more changes than the close: a newer version. */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aCloseTakenBackUnderANewerVersionIsTakenBackToo(Database db) {
    TicketStore store = new TicketStore(db);
    TicketState t = TestTickets.unopenedTicket();
    store.apply(Projection.full(runWithAudit(t, 5, Status.RESOLVED, "OPENED", "RESOLVED")));
    db.jdbi().useHandle(h -> h.createUpdate("insert into assignments (ticket_id, agent_id, weight, assigned_at, reason,"
        + " ticket_open) values (:id, 1001, 2.5, current_timestamp, 'lowest load', false)").bind("id", t.id()).execute());
    store.apply(Projection.full(runWithAudit(t, 6, Status.CLOSED, "OPENED", "RESOLVED", "CLOSED")));
    TicketState reopened = runWithAudit(t, 7, Status.IN_PROGRESS, "OPENED", "RESOLVED", "REOPENED");
    store.apply(Projection.full(reopened));

    assertThat(store.find(t.id())).contains(reopened);
    assertThat(runsOfTheDay(store, t)).containsExactly(Status.IN_PROGRESS);
    assertThat(counted(db, t.id())).isTrue();
  }

  /**
   * A reply recorded on a CLOSED ticket out of its workflow (one written in the help desk): a
   * follow-up run starts from the closed snapshot it reads ({@code closedPredecessor}), and its
   * first snapshot replaces that one. A reply recorded before that read is in what the run carries;
   * one recorded after it, in the instant before that first snapshot, would be overwritten: it is
   * not recorded (NOT_CLOSED: the caller delivers it to the run, which takes it). The closed run's
   * retried projection keeps that so; the follow-up's own close lets a reply be recorded again.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aReplyWhileClosedIsRecordedOnlyWhereTheFollowUpCarriesIt(Database db) {
    TicketStore store = new TicketStore(db);
    TicketState t = TestTickets.unopenedTicket();
    TicketState closed = runWithAudit(t, 5, Status.CLOSED, "OPENED", "RESOLVED", "CLOSED");
    store.save(closed);
    assertThat(store.recordWhileClosed(t.id(), "hdr:rt:1", s -> replyEntry("before the read")))
        .isEqualTo(TicketStore.WhileClosed.RECORDED);

    TicketState read = store.closedPredecessor(t.id()).orElseThrow(); // the follow-up run starts
    assertThat(read.audit()).extracting(AuditEntry::reason).contains("before the read");
    assertThat(read.seenEvents()).contains("hdr:rt:1");
    assertThat(store.recordWhileClosed(t.id(), "hdr:rt:2", s -> replyEntry("in between")))
        .as("read by the follow-up: its run takes it").isEqualTo(TicketStore.WhileClosed.NOT_CLOSED);
    store.save(store.find(t.id()).orElseThrow()); // the closed run's projection, retried
    assertThat(store.recordWhileClosed(t.id(), "hdr:rt:2", s -> replyEntry("in between")))
        .isEqualTo(TicketStore.WhileClosed.NOT_CLOSED);
    assertThat(store.recordWhileClosed(t.id(), "hdr:rt:1", s -> replyEntry("before the read")))
        .as("recorded before: still seen").isEqualTo(TicketStore.WhileClosed.SEEN);

    TicketState followUp = TestTickets.run(read, "run-2", 6, Status.NEW, TestTickets.CREATED.plusSeconds(60))
        .withHistory(read.audit(), read.seenEvents(), read.policy());
    store.save(followUp);
    assertThat(store.find(t.id()).orElseThrow().audit()).extracting(AuditEntry::reason)
        .containsOnlyOnce("before the read").doesNotContain("in between");

    List<AuditEntry> closedAgain = new java.util.ArrayList<>(followUp.audit());
    closedAgain.add(new AuditEntry(TestTickets.CREATED.plusSeconds(120), "CLOSED", "closed", "system"));
    store.save(TestTickets.run(t, "run-2", 9, Status.CLOSED, TestTickets.CREATED.plusSeconds(60))
        .withHistory(closedAgain, followUp.seenEvents(), followUp.policy()));
    assertThat(store.recordWhileClosed(t.id(), "hdr:rt:3", s -> replyEntry("after the follow-up closed")))
        .as("the follow-up's own close").isEqualTo(TicketStore.WhileClosed.RECORDED);
    assertThat(store.closedPredecessor(t.id()).orElseThrow().audit()).extracting(AuditEntry::reason)
        .containsOnlyOnce("before the read").contains("after the follow-up closed");
  }

  /**
   * The follow-up run that read a CLOSED snapshot ended before its first snapshot (terminated,
   * failed): a reply then taken by no run is recorded on the CLOSED ticket after all
   * ({@code recordWhileClosedNoRunTookIt}), and the stale read no longer holds later replies back.
   * Once a follow-up's snapshot replaced the closed one, nothing is written there.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aReplyNoRunTookAfterAFollowUpRunEndedUnsavedIsRecordedOnTheClosedTicket(Database db) {
    TicketStore store = new TicketStore(db);
    TicketState t = TestTickets.unopenedTicket();
    store.save(runWithAudit(t, 5, Status.CLOSED, "OPENED", "RESOLVED", "CLOSED"));
    store.closedPredecessor(t.id()).orElseThrow(); // a follow-up run starts, and ends before its first snapshot
    assertThat(store.recordWhileClosed(t.id(), "hdr:rt:1", s -> replyEntry("no run took it")))
        .isEqualTo(TicketStore.WhileClosed.NOT_CLOSED);

    assertThat(store.recordWhileClosedNoRunTookIt(t.id(), "hdr:rt:1", s -> replyEntry("no run took it")))
        .isEqualTo(TicketStore.WhileClosed.RECORDED);
    assertThat(store.recordWhileClosedNoRunTookIt(t.id(), "hdr:rt:1", s -> replyEntry("no run took it")))
        .isEqualTo(TicketStore.WhileClosed.SEEN);
    assertThat(store.recordWhileClosed(t.id(), "hdr:rt:2", s -> replyEntry("a later reply")))
        .as("the stale read no longer holds replies back").isEqualTo(TicketStore.WhileClosed.RECORDED);
    TicketState closed = store.find(t.id()).orElseThrow();
    assertThat(closed.status()).isEqualTo(Status.CLOSED);
    assertThat(closed.audit()).extracting(AuditEntry::reason).containsOnlyOnce("no run took it", "a later reply");
    assertThat(closed.seenEvents()).contains("hdr:rt:1", "hdr:rt:2");

    TicketState read = store.closedPredecessor(t.id()).orElseThrow(); // another follow-up, which saves
    store.save(TestTickets.run(read, "run-2", 6, Status.NEW, TestTickets.CREATED.plusSeconds(60))
        .withHistory(read.audit(), read.seenEvents(), read.policy()));
    assertThat(store.recordWhileClosedNoRunTookIt(t.id(), "hdr:rt:3", s -> replyEntry("after the follow-up opened")))
        .isEqualTo(TicketStore.WhileClosed.NOT_CLOSED);
    TicketState followUp = store.find(t.id()).orElseThrow();
    assertThat(followUp.status()).isEqualTo(Status.NEW);
    assertThat(followUp.audit()).extracting(AuditEntry::reason).doesNotContain("after the follow-up opened");
  }

  /**
   * A reply no run took while the read model shows the ticket open (its run ended without closing:
   * terminated, failed): recorded on the stored snapshot once, of the same version and status, where
   * a run started from it (a restore) carries it. A ticket CLOSED by then is left to the CLOSED way.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aReplyNoRunTookOnAnOpenTicketIsRecordedOnItsSnapshotOnce(Database db) {
    TicketStore store = new TicketStore(db);
    TicketState t = TestTickets.unopenedTicket();
    store.save(runWithAudit(t, 5, Status.IN_PROGRESS, "OPENED", "FIRST_RESPONSE"));
    assertThat(store.recordWithoutRun(t.id(), "hdr:rt:1", s -> replyEntry("no run was running")))
        .isEqualTo(TicketStore.WithoutRun.RECORDED);
    assertThat(store.recordWithoutRun(t.id(), "hdr:rt:1", s -> replyEntry("no run was running")))
        .isEqualTo(TicketStore.WithoutRun.SEEN);
    TicketState open = store.find(t.id()).orElseThrow();
    assertThat(open.version()).isEqualTo(5);
    assertThat(open.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(open.audit()).extracting(AuditEntry::reason).containsOnlyOnce("no run was running");
    assertThat(open.seenEvents()).containsOnlyOnce("hdr:rt:1");
    assertThat(store.open()).filteredOn(s -> s.id().equals(t.id())).singleElement()
        .satisfies(s -> assertThat(s.seenEvents()).as("what a restore starts from").contains("hdr:rt:1"));

    store.save(runWithAudit(t, 6, Status.CLOSED, "OPENED", "FIRST_RESPONSE", "CLOSED"));
    assertThat(store.recordWithoutRun(t.id(), "hdr:rt:2", s -> replyEntry("after the close")))
        .as("the CLOSED way's").isEqualTo(TicketStore.WithoutRun.CLOSED);
    assertThat(store.find(t.id()).orElseThrow().audit()).extracting(AuditEntry::reason).doesNotContain("after the close");
    assertThat(store.recordWithoutRun("no-such-ticket-" + System.nanoTime(), "hdr:rt:3", s -> replyEntry("nowhere")))
        .isEqualTo(TicketStore.WithoutRun.MISSING);
  }

  private static AuditEntry replyEntry(String reason) {
    return new AuditEntry(TestTickets.CREATED.plusSeconds(30), "REPLY_WHILE_CLOSED", reason, "request-tracker:Enoch Root");
  }

  private static TicketState runWithAudit(TicketState t, long version, Status status, String... events) {
    List<AuditEntry> audit = Stream.of(events)
        .map(e -> new AuditEntry(TestTickets.CREATED, e, e.toLowerCase(java.util.Locale.ROOT), "system")).toList();
    return TestTickets.run(t, "run-1", version, status, TestTickets.CREATED).withHistory(audit, List.of(), t.policy());
  }

  private static List<Status> runsOfTheDay(TicketStore store, TicketState t) {
    Instant day = TestTickets.CREATED.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    return store.createdBetween(day, day.plus(Duration.ofDays(1))).stream()
        .filter(x -> x.id().equals(t.id())).map(TicketState::status).toList();
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void readModelNeverGoesBackToAnOlderVersion(Database db) {
    TicketStore store = new TicketStore(db);
    TicketState v0 = TestTickets.unopenedTicket();
    TicketState v2 = TestTickets.withVersionAndStatus(v0, 2, Status.IN_PROGRESS);
    TicketState v1 = TestTickets.withVersionAndStatus(v0, 1, Status.NEW);
    store.save(v2);
    store.save(v1);
    assertThat(store.find(v0.id())).hasValueSatisfying(t -> {
      assertThat(t.version()).isEqualTo(2);
      assertThat(t.status()).isEqualTo(Status.IN_PROGRESS);
    });
    assertThat(store.list(new TicketStore.Filter(Set.of(Status.IN_PROGRESS), Set.of(), Set.of(), Set.of(), 10)))
        .extracting(TicketState::id).contains(v0.id());
  }

  /**
   * {@code GET /api/tickets?status=NEW,IN_PROGRESS&customer=@Bob}: any of several statuses, and the
   * customer by id or by username in any case.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void ticketsAreListedByAnyOfSeveralStatusesAndByTheirCustomersIdOrUsername(Database db) {
    long n = System.nanoTime();
    Person bob = new Person(n, "Bob", "Bob_" + n);
    Person eve = new Person(n + 1, "Eve", "eve_" + n);
    Person anonymous = new Person(n + 2, "Anon", null);
    String p = "ticket--9-" + n + "-";
    TestTickets.projectIn(db, p + "new", bob, Status.NEW);
    TestTickets.projectIn(db, p + "working", bob, Status.IN_PROGRESS);
    TestTickets.projectIn(db, p + "resolved", bob, Status.RESOLVED);
    TestTickets.projectIn(db, p + "eve", eve, Status.NEW);
    TestTickets.projectIn(db, p + "anonymous", anonymous, Status.NEW);
    TicketStore store = TicketStore.forReaders(db);

    assertThat(listed(store, Set.of(), "@BOB_" + n)).containsExactlyInAnyOrder(p + "new", p + "working", p + "resolved");
    assertThat(listed(store, Set.of(Status.NEW, Status.IN_PROGRESS), "bob_" + n))
        .containsExactlyInAnyOrder(p + "new", p + "working");
    assertThat(listed(store, Set.of(Status.NEW, Status.IN_PROGRESS), String.valueOf(n)))
        .as("by id, as by username").containsExactlyInAnyOrder(p + "new", p + "working");
    assertThat(listed(store, Set.of(Status.RESOLVED, Status.CLOSED), "Eve_" + n)).isEmpty();
    assertThat(listed(store, Set.of(), "nobody_" + n)).as("a username no ticket has").isEmpty();
    assertThat(listed(store, Set.of(), String.valueOf(n + 2))).containsExactly(p + "anonymous");
    assertThat(listed(store, Set.of(Status.NEW), "@BOB_" + n, String.valueOf(n + 2), "eve_" + n))
        .as("several customers, by id and by username: any of them")
        .containsExactlyInAnyOrder(p + "new", p + "eve", p + "anonymous");
  }

  /**
   * Audit 8, F5: a ticket routed to billing and then moved to Level 2 (its queue now level2) is still
   * billing's: {@code ?queue=billing} lists it, in any case, and {@code ?level=} tells the escalated
   * ones apart; {@code ?queue=level2} lists them as before.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void anEscalatedTicketIsListedByTheQueueItWasRoutedToAndByItsLevel(Database db) {
    long n = System.nanoTime();
    Person bob = new Person(n, "Bob", "bob_" + n);
    String billing = "Billing" + n;
    String p = "ticket--9-" + n + "-";
    TicketStore store = new TicketStore(db);
    store.save(TestTickets.routed(p + "answered", bob, billing, false));
    store.save(TestTickets.routed(p + "escalated", bob, billing, true));
    store.save(TestTickets.routed(p + "other", bob, "technical" + n, true));

    assertThat(ids(store, Set.of(billing.toLowerCase()), Set.of())).containsExactlyInAnyOrder(p + "answered", p + "escalated");
    assertThat(ids(store, Set.of(billing), Set.of(2))).containsExactly(p + "escalated");
    assertThat(ids(store, Set.of(billing), Set.of(1))).containsExactly(p + "answered");
    assertThat(ids(store, Set.of(), Set.of(2))).filteredOn(id -> id.startsWith(p))
        .containsExactlyInAnyOrder(p + "escalated", p + "other");
    assertThat(store.list(new TicketStore.Filter(Set.of(), Set.of(), Set.of("LEVEL2"), Set.of(), Set.of(PersonRef.parse(
        String.valueOf(n))), 100))).as("the queue it is in now, as before").extracting(TicketState::id)
        .containsExactlyInAnyOrder(p + "escalated", p + "other");
    assertThat(store.count(new TicketStore.Filter(Set.of(), Set.of(), Set.of(billing), Set.of(2), Set.of(), 1)))
        .isEqualTo(1);
  }

  private static List<String> ids(TicketStore store, Set<String> queues, Set<Integer> levels) {
    return store.list(new TicketStore.Filter(Set.of(), Set.of(), queues, levels, Set.of(), 1000)).stream()
        .map(TicketState::id).toList();
  }

  /** A database an earlier version left, with an escalated ticket: the upgrade gives it the queue it was routed to. */
  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void theUpgradeGivesAnEscalatedTicketOfAnEarlierVersionTheQueueItWasRoutedTo(FreshDatabase fresh)
      throws Exception {
    FreshDatabase earlier = fresh.migratedTo("26");
    Person bob = new Person(5001, "Bob", "bob");
    try (Connection c = DriverManager.getConnection(earlier.url(), earlier.user(), "");
        PreparedStatement insert = c.prepareStatement("insert into tickets (id, chat_id, thread_id, status, priority,"
            + " level, queue, customer_id, updated_at, version, state) values (?, -100, 1, 'ESCALATED', 'NORMAL', ?,"
            + " ?, 5001, current_timestamp, 1, ?)")) {
      for (boolean escalated : new boolean[] {true, false}) {
        TicketState s = TestTickets.routed("ticket-" + escalated, bob, "billing", escalated);
        insert.setString(1, s.id());
        insert.setInt(2, s.level());
        insert.setString(3, s.queue());
        insert.setString(4, Json.write(s));
        insert.executeUpdate();
      }
    }

    try (Database upgraded = earlier.open()) {
      TicketStore store = TicketStore.forReaders(upgraded);
      assertThat(ids(store, Set.of("billing"), Set.of())).containsExactlyInAnyOrder("ticket-true", "ticket-false");
      assertThat(ids(store, Set.of("billing"), Set.of(2))).containsExactly("ticket-true");
    }
  }

  /**
   * A database an earlier version left, with agents a reload had removed: the upgrade gives each the
   * username their tickets name them by (a closed run's too), so {@code ?assignee=} finds them by it.
   */
  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void theUpgradeGivesPastAgentsTheUsernameTheirTicketsNameThemBy(FreshDatabase fresh)
      throws Exception {
    FreshDatabase earlier = fresh.migratedTo("27");
    Person bob = new Person(5001, "Bob", "bob");
    try (Connection c = DriverManager.getConnection(earlier.url(), earlier.user(), "");
        Statement agents = c.createStatement();
        PreparedStatement ticket = c.prepareStatement("insert into tickets (id, chat_id, thread_id, status, priority,"
            + " level, queue, assignee_id, customer_id, updated_at, version, state) values (?, -100, 1, 'IN_PROGRESS',"
            + " 'NORMAL', 1, 'general', ?, 5001, current_timestamp, 1, ?)");
        PreparedStatement closedRun = c.prepareStatement("insert into closed_runs (ticket_id, run_id, created_at,"
            + " state, agent_id) values (?, 'r1', current_timestamp, ?, ?)")) {
      agents.execute("insert into agents (id, on_shift) values (1001, true), (1002, true), (1003, true), (1004, true)");
      ticket.setString(1, "ticket-boris");
      ticket.setLong(2, 1002);
      ticket.setString(3, Json.write(TestTickets.assigned("ticket-boris", bob, new Person(1002, "Boris", "@Boris_K"))));
      ticket.executeUpdate();
      closedRun.setString(1, "ticket-dora");
      closedRun.setString(2, Json.write(TestTickets.assigned("ticket-dora", bob, new Person(1004, "Dora", "dora"))));
      closedRun.setLong(3, 1004);
      closedRun.executeUpdate();
    }

    try (Database upgraded = earlier.open()) {
      Roster roster = new Roster(upgraded, dev.forumdesk.config.ConfigLoader.fromYaml(
          "agents: [{id: 1001, name: Alice, username: alice}]")::agents);
      roster.sync();
      assertThat(roster.pastAgents("boris_k")).containsExactly(1002L);
      assertThat(roster.pastAgents("@DORA")).containsExactly(1004L);
      assertThat(roster.pastAgents("alice")).as("configured: not a past agent").isEmpty();
      String carl = upgraded.jdbi().withHandle(h -> h.createQuery("select username from agents where id = 1003")
          .mapTo(String.class).one());
      assertThat(carl).as("removed before with no ticket: nothing to tell it by").isNull();
    }
  }

  /**
   * A data dir or database an earlier version left, schema up to V14 and more tickets than one batch
   * of the migration, opened by this one: every ticket gets its customer's username.
   */
  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void theUpgradeGivesEveryTicketOfAnEarlierVersionItsCustomersUsername(FreshDatabase fresh)
      throws Exception {
    FreshDatabase earlier = fresh.migratedTo("14");
    int tickets = 1_234;
    try (Connection c = DriverManager.getConnection(earlier.url(), earlier.user(), "");
        PreparedStatement insert = c.prepareStatement("insert into tickets (id, chat_id, thread_id, status, priority,"
            + " level, queue, customer_id, updated_at, version, state) values (?, -100, 1, 'NEW', 'NORMAL', 1,"
            + " 'general', ?, current_timestamp, 1, ?)")) {
      for (int i = 0; i < tickets; i++) {
        Person customer = i == 7 ? new Person(i, "Anon", null) : new Person(i, "C" + i, "Customer_" + i);
        insert.setString(1, "ticket-" + i);
        insert.setLong(2, i);
        insert.setString(3, Json.write(TestTickets.of("ticket-" + i, customer, Status.NEW)));
        insert.addBatch();
      }
      insert.executeBatch();
    }

    try (Database upgraded = earlier.open()) {
      TicketStore store = TicketStore.forReaders(upgraded);
      assertThat(listed(store, Set.of(), "@customer_0")).containsExactly("ticket-0");
      assertThat(listed(store, Set.of(Status.NEW), "CUSTOMER_1233")).containsExactly("ticket-1233");
      int filled = upgraded.jdbi().withHandle(h -> h.createQuery(
          "select count(*) from tickets where customer_username is not null").mapTo(Integer.class).one());
      assertThat(filled).as("all but the customer without a username").isEqualTo(tickets - 1);
    }
  }

  /** The ids of the tickets listed with these statuses (none: any) and any of these {@code customer=}. */
  private static List<String> listed(TicketStore store, Set<Status> statuses, String... customers) {
    return store.list(new TicketStore.Filter(statuses, Set.of(), Set.of(),
            java.util.Arrays.stream(customers).map(PersonRef::parse).collect(java.util.stream.Collectors.toSet()), 100))
        .stream().map(TicketState::id).toList();
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aProjectionDeltaIsMergedOntoTheStoredSnapshotAndAGapIsRefused(Database db) {
    TicketStore store = new TicketStore(db);
    TicketState v0 = TestTickets.unopenedTicket();
    AuditEntry opened = new AuditEntry(Instant.parse("2026-11-25T10:00:00Z"), "OPENED", "topic created", "customer:1");
    AuditEntry reply = new AuditEntry(Instant.parse("2026-11-25T10:05:00Z"), "FIRST_RESPONSE", "agent replied", "agent:2");
    TicketState v1 = TestTickets.withVersionAndStatus(v0, 1, Status.NEW).withHistory(List.of(opened), List.of("u1"), v0.policy());
    TicketState v2 = TestTickets.withVersionAndStatus(v0, 2, Status.IN_PROGRESS)
        .withHistory(List.of(opened, reply), List.of("u1", "u2"), v0.policy());

    assertThatThrownBy(() -> store.apply(Projection.after(Projection.Mark.of(v1), v2)))
        .as("a delta with no stored row").isInstanceOf(Projection.Gap.class);
    store.apply(Projection.after(null, v1));
    store.apply(Projection.after(Projection.Mark.of(v1), v2));
    assertThat(store.find(v0.id())).contains(v2);
    store.apply(Projection.after(Projection.Mark.of(v1), v2)); // a retry: already there
    assertThat(store.find(v0.id())).contains(v2);
  }

  /**
   * The workflow may see an update and project it before the dispatcher has marked the row
   * DELIVERED (the signal returned, the mark is still queued): the row must still end APPLIED,
   * or it would wait for a redelivery forever.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void anUpdateProjectedBeforeItsDeliveryMarkEndsApplied(Database db) {
    Inbox inbox = new Inbox(db);
    TicketStore store = new TicketStore(db);
    TicketState v0 = TestTickets.unopenedTicket();
    long early = System.nanoTime();
    long later = early + 1;
    inbox.append(early, Optional.of(v0.id()), "topic", "{}");
    inbox.append(later, Optional.of(v0.id()), "message", "{}");
    inbox.delivered(early);

    store.apply(Projection.after(null, TestTickets.withVersionAndStatus(v0, 1, Status.NEW)
        .withHistory(List.of(), List.of("u" + early, "u" + later), v0.policy())));
    inbox.delivered(later); // the dispatcher's mark, after the projection

    assertThat(statusOf(db, early)).isEqualTo(Inbox.APPLIED);
    assertThat(statusOf(db, later)).isEqualTo(Inbox.APPLIED);
  }

  /** What the API shows while a ticket's opening update waits: its oldest row not yet applied. */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aTicketsOldestUnappliedRowIsTheOneThatOpensIt(Database db) {
    Inbox inbox = new Inbox(db);
    String ticket = "ticket-1-" + System.nanoTime();
    long opening = System.nanoTime();
    inbox.append(opening, Optional.of(ticket), "topic-created", "{}");
    inbox.append(opening + 1, Optional.of(ticket), "message", "{}");

    assertThat(inbox.firstUnapplied(ticket)).get().extracting(InboxRow::updateId).isEqualTo(opening);
    assertThat(inbox.unappliedOfKind("topic-created", 100_000)).extracting(InboxRow::ticketId).contains(ticket);
    assertThat(inbox.unappliedOfKind("message", 100_000)).extracting(InboxRow::updateId)
        .contains(opening + 1).doesNotContain(opening);
    inbox.delivered(opening); // signalled, not yet projected: the read model may still lack it
    assertThat(inbox.firstUnapplied(ticket)).get().extracting(InboxRow::updateId).isEqualTo(opening);

    db.inboxJdbi().useHandle(h -> h.createUpdate("update inbox set status = 'APPLIED' where update_id = :id")
        .bind("id", opening).execute());
    assertThat(inbox.firstUnapplied(ticket)).get().extracting(InboxRow::updateId).isEqualTo(opening + 1);
    assertThat(inbox.unappliedOfKind("topic-created", 100_000)).extracting(InboxRow::ticketId).doesNotContain(ticket);
    assertThat(inbox.firstUnapplied("ticket-1-none")).isEmpty();
  }

  /**
   * A ticket's rows as the dispatcher (pendingFor: PENDING, in update order, up to its limit) and a
   * restore after the embedded server's restart (unappliedFor: PENDING or DELIVERED, received
   * before the restart) read them; another ticket's rows and APPLIED ones are neither.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aTicketsPendingAndUnappliedRowsAreItsOwnInUpdateOrder(Database db) throws Exception {
    Inbox inbox = new Inbox(db);
    String ticket = "ticket-2-" + System.nanoTime();
    long first = System.nanoTime();
    for (long id : new long[] {first + 3, first, first + 1, first + 2}) {
      inbox.append(id, Optional.of(ticket), "message", "{}");
    }
    inbox.append(first + 4, Optional.of(ticket + "0"), "message", "{}"); // another ticket's
    Thread.sleep(5);
    Instant restart = Instant.now();
    Thread.sleep(5);
    inbox.append(first + 5, Optional.of(ticket), "message", "{}"); // came after the restart
    inbox.delivered(first);
    db.inboxJdbi().useHandle(h -> h.createUpdate("update inbox set status = 'APPLIED' where update_id = :id")
        .bind("id", first + 1).execute());

    assertThat(inbox.pendingFor(ticket, 1000)).extracting(InboxRow::updateId)
        .containsExactly(first + 2, first + 3, first + 5);
    assertThat(inbox.pendingFor(ticket, 2)).extracting(InboxRow::updateId).containsExactly(first + 2, first + 3);
    assertThat(inbox.unappliedFor(ticket, restart)).extracting(InboxRow::updateId)
        .containsExactly(first, first + 2, first + 3);
    assertThat(inbox.firstUnapplied(ticket)).get().extracting(InboxRow::updateId).isEqualTo(first);
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void theReadModelSaysWhichTicketsItHolds(Database db) {
    TicketStore store = new TicketStore(db);
    TicketState held = TestTickets.unopenedTicket();
    store.apply(Projection.after(null, TestTickets.withVersionAndStatus(held, 1, Status.NEW)));

    assertThat(TicketStore.forReaders(db).known(List.of(held.id(), "ticket-1-not-there"))).containsExactly(held.id());
    assertThat(store.known(List.of())).isEmpty();
  }

  /**
   * Relay mode: a customer's private message is settled once its ticket shows the message itself. The
   * relay opens the topic (the ticket hears "r&lt;id&gt;") before it posts the message and the ticket hears
   * it ("u&lt;id&gt;"): a projection of the opening alone, settling the row, would have left the message
   * to no redelivery after a stop between the two.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aPrivateMessageIsSettledOnceItsTicketShowsTheMessageNotJustTheTopicItOpened(Database db) {
    Inbox inbox = new Inbox(db);
    TicketStore store = new TicketStore(db);
    Person customer = new Person(System.nanoTime(), "Bob", null);
    long opening = System.nanoTime();
    long edit = opening + 1;
    inbox.append(opening, Optional.of(Inbox.relayKey(customer.id())), "relay-in", "{}");
    inbox.append(edit, Optional.of(Inbox.relayKey(customer.id())), "relay-edit", "{}");
    TicketState t = TestTickets.of("ticket--100-" + opening, customer, Status.NEW);

    store.apply(Projection.after(null, t.withHistory(List.of(), List.of("r" + opening), t.policy())));
    assertThat(statusOf(db, opening)).as("the topic is open, the message not yet in it").isEqualTo(Inbox.PENDING);

    TicketState later = TestTickets.withVersionAndStatus(t, t.version() + 1, Status.NEW);
    store.apply(Projection.after(null, later.withHistory(List.of(), List.of("r" + opening, "u" + opening, "e" + edit),
        t.policy())));
    assertThat(statusOf(db, opening)).isEqualTo(Inbox.APPLIED);
    assertThat(statusOf(db, edit)).isEqualTo(Inbox.APPLIED);
  }

  /**
   * Relay mode: a ticket keeps its last 2,000 seen events. A private message it had that is no longer
   * among them (its mark lost, the ticket busy since) can no longer be shown, and stayed DELIVERED for
   * ever: alerts.oldest-unapplied fired, health DEGRADED. Once the list is full, a delivered one older
   * than every update the list names is settled. One newer than the list's oldest (on its way), one
   * not delivered yet, and any while the list is not full, are left as they are.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aDeliveredPrivateMessageOlderThanEveryUpdateAFullSeenListNamesIsSettled(Database db) {
    Inbox inbox = new Inbox(db);
    TicketStore store = new TicketStore(db, true);
    Person customer = new Person(System.nanoTime(), "Bob", null);
    String key = Inbox.relayKey(customer.id());
    long trimmed = System.nanoTime();
    long waiting = trimmed + 1;
    long onItsWay = trimmed + 10_000;
    inbox.append(trimmed, Optional.of(key), "relay-in", "{}");
    inbox.append(waiting, Optional.of(key), "relay-in", "{}");
    inbox.append(onItsWay, Optional.of(key), "relay-in", "{}");
    inbox.delivered(trimmed);
    inbox.delivered(onItsWay);
    TicketState t = TestTickets.of("ticket--100-" + trimmed, customer, Status.IN_PROGRESS);

    List<String> notFull = java.util.stream.LongStream.range(trimmed + 2, trimmed + 1_002).mapToObj(id -> "u" + id)
        .toList();
    store.apply(Projection.after(null, t.withHistory(List.of(), notFull, t.policy())));
    assertThat(statusOf(db, trimmed)).as("a list not full names all it had").isEqualTo(Inbox.DELIVERED);

    List<String> full = java.util.stream.LongStream.range(trimmed + 2, trimmed + 2 + TicketState.SEEN_EVENTS_KEPT)
        .mapToObj(id -> (id % 2 == 0 ? "u" : "r") + id).toList();
    TicketState later = TestTickets.withVersionAndStatus(t, t.version() + 1, Status.IN_PROGRESS);
    store.apply(Projection.after(null, later.withHistory(List.of(), full, t.policy())));
    assertThat(statusOf(db, trimmed)).isEqualTo(Inbox.APPLIED);
    assertThat(statusOf(db, waiting)).as("not delivered yet").isEqualTo(Inbox.PENDING);
    assertThat(statusOf(db, onItsWay)).as("newer than the list's oldest: on its way").isEqualTo(Inbox.DELIVERED);
  }

  /**
   * Group mode has no private messages: a projection's marks do not look for them, one read of the
   * inbox less per projection. In relay mode they are settled as their ticket shows them.
   */
  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void onlyARelayModeProjectionLooksForTheCustomersPrivateMessages(FreshDatabase fresh) throws Exception {
    try (Database db = fresh.open()) {
      Inbox inbox = new Inbox(db);
      Person customer = new Person(5001, "Bob", null);
      TicketState t = TestTickets.of("ticket--100-1", customer, Status.NEW);
      inbox.append(100, Optional.of(t.id()), "message", "{}");
      inbox.append(101, Optional.of(Inbox.relayKey(customer.id())), "relay-in", "{}");
      List<String> statements = new java.util.concurrent.CopyOnWriteArrayList<>();
      db.watchInboxWrites(statements::add);

      new TicketStore(db, false).apply(Projection.after(null, t.withHistory(List.of(), List.of("u100", "u101"),
          t.policy())));
      assertThat(statements).as("the topic's rows marked, in one statement; no read").singleElement()
          .satisfies(sql -> assertThat(sql).startsWith("update inbox set status = 'APPLIED'"));
      assertThat(statusOf(db, 100)).isEqualTo(Inbox.APPLIED);
      assertThat(statusOf(db, 101)).as("a private message in group mode is not this ticket's").isEqualTo(Inbox.PENDING);

      statements.clear();
      TicketState later = TestTickets.withVersionAndStatus(t, t.version() + 1, Status.NEW);
      new TicketStore(db, true).apply(Projection.after(null, later.withHistory(List.of(), List.of("u100", "u101"),
          t.policy())));
      assertThat(statements).anySatisfy(sql -> assertThat(sql).startsWith("select update_id from inbox"));
      assertThat(statusOf(db, 101)).isEqualTo(Inbox.APPLIED);
    }
  }

  private static String statusOf(Database db, long updateId) {
    return db.inboxJdbi().withHandle(h -> h.createQuery("select status from inbox where update_id = :id")
        .bind("id", updateId).mapTo(String.class).one());
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void level2TopicsMapBothWays(Database db) {
    Level2Topics topics = new Level2Topics(db);
    String ticket = "ticket--1-" + System.nanoTime();
    topics.save(ticket, ticket, -200, 31);
    topics.save(ticket, ticket, -200, 32); // a retried activity keeps the first topic
    assertThat(topics.topicOf(ticket)).contains(new ForumTopic(-200, 31));
    assertThat(topics.ticketOf(-200, 31)).contains(ticket);
    // a follow-up run's escalation has a topic of its own, which leads back to the ticket too
    String followUp = ticket + ":after:run-1";
    topics.save(followUp, ticket, -200, 33);
    assertThat(topics.topicOf(followUp)).contains(new ForumTopic(-200, 33));
    assertThat(topics.topicOf(ticket)).contains(new ForumTopic(-200, 31));
    assertThat(topics.ticketOf(-200, 33)).contains(ticket);
  }

  /** What the start logs after a restart that changed support.level2-chat-id (audit 9, F3). */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void openTicketsWithALevel2TopicInAnotherChatAreCounted(Database db) {
    Level2Topics topics = new Level2Topics(db);
    long now = -System.nanoTime(); // a chat of this test's own: the databases are shared
    int before = topics.openElsewhere(now);
    String open = "ticket--1-" + System.nanoTime();
    String closed = open + "1";
    TestTickets.project(db, open, Status.ESCALATED);
    TestTickets.project(db, closed, Status.CLOSED);
    topics.save(open, open, -300, 41);
    topics.save(open + ":after:run-1", open, -300, 42); // one ticket, however many topics
    topics.save(closed, closed, -300, 43);
    assertThat(topics.openElsewhere(now)).isEqualTo(before + 1);
    String here = "ticket--1-" + System.nanoTime();
    TestTickets.project(db, here, Status.ESCALATED);
    topics.save(here, here, now, 44);
    assertThat(topics.openElsewhere(now)).as("its topic is in the chat of now").isEqualTo(before + 1);
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void theProjectionKeepsAnAssignmentCountedWhileItsTicketIsOpen(Database db) {
    TicketStore store = new TicketStore(db);
    TicketState t = TestTickets.unopenedTicket();
    db.jdbi().useHandle(h -> h.createUpdate("insert into assignments (ticket_id, agent_id, weight, assigned_at)"
        + " values (:id, 1, 1.0, current_timestamp)").bind("id", t.id()).execute());
    store.save(TestTickets.withVersionAndStatus(t, 3, Status.IN_PROGRESS));
    assertThat(counted(db, t.id())).isTrue();
    store.save(TestTickets.withVersionAndStatus(t, 4, Status.RESOLVED));
    assertThat(counted(db, t.id())).as("resolved: off the agent's load").isFalse();
    store.save(TestTickets.withVersionAndStatus(t, 5, Status.IN_PROGRESS));
    assertThat(counted(db, t.id())).as("reopened: on it again").isTrue();
    store.save(TestTickets.withVersionAndStatus(t, 4, Status.RESOLVED));
    assertThat(counted(db, t.id())).as("an older snapshot changes nothing").isTrue();
  }

  /**
   * A twin's create: its time stored before it is sent (a ticket without a row gets one, PENDING
   * and still due), and only the first attempt's, whatever later ones and failures write.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void theFirstCreateOfATwinIsStoredBeforeItIsSentAndKeptByLaterAttempts(Database db) {
    HelpDeskLinks links = new HelpDeskLinks(db, "request-tracker");
    String id = "ticket--7-" + System.nanoTime();
    TestTickets.project(db, id, Status.NEW);
    HelpDeskLinks.Due due = dueOf(links, id);
    assertThat(due.createTriedAt()).isEmpty();
    Instant first = Instant.parse("2026-03-01T10:00:00Z");

    links.creating(id, due.version(), first, true, Optional.empty());
    assertThat(links.find(id)).hasValueSatisfying(l -> {
      assertThat(l.sync()).isEqualTo("PENDING");
      assertThat(l.externalId()).isNull();
    });
    assertThat(dueOf(links, id).createTriedAt()).contains(first);

    links.creating(id, due.version(), first.plusSeconds(30), true, Optional.empty());
    links.failed(id, Optional.empty(), due.version(), Optional.empty(), "timeout", 1, Instant.EPOCH);
    assertThat(dueOf(links, id).createTriedAt()).contains(first);
  }

  /** A page of the ticket list reads its tickets' twins in one query: each mirrored one, none for the others. */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void thePageOfTwinsIsReadTogether(Database db) {
    HelpDeskLinks links = new HelpDeskLinks(db, "zammad");
    String ok = "ticket--7-" + System.nanoTime();
    String failed = ok + "1";
    String pending = ok + "2";
    for (String id : List.of(ok, failed, pending)) {
      TestTickets.project(db, id, Status.NEW);
    }
    links.synced(ok, "42", dueOf(links, ok).version(), "NEW", "Refund");
    links.failed(failed, Optional.empty(), dueOf(links, failed).version(), Optional.empty(), "HTTP 422: <b>no</b>", 1,
        Instant.EPOCH);

    assertThat(links.find(List.of(ok, failed, pending))).containsOnlyKeys(ok, failed)
        .containsEntry(ok, new HelpDeskLinks.Link("zammad", "42", "OK", null))
        .containsEntry(failed, new HelpDeskLinks.Link("zammad", null, "FAILED", "HTTP 422: <b>no</b>"));
    assertThat(links.find(List.<String>of())).isEmpty();
    assertThat(links.find(ok)).contains(new HelpDeskLinks.Link("zammad", "42", "OK", null));
  }

  /**
   * The customer's first message as recorded (the twin's content when the snapshot lacks it), the
   * flag saying which waiting message it is, a twin made by a later attempt saying what its content
   * is, and the count of tickets the help desk does not hold yet.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void theFirstCustomerMessageIsKnownAndTheUnsyncedAreCounted(Database db) {
    HelpDeskLinks links = new HelpDeskLinks(db, "request-tracker");
    String id = "ticket--8-" + System.nanoTime();
    long before = links.unsynced();
    TestTickets.project(db, id, Status.NEW);
    assertThat(links.unsynced()).isEqualTo(before + 1);
    assertThat(links.firstCustomerMessage(id)).isEmpty();
    Instant at = Instant.parse("2026-03-01T10:00:00Z");
    links.message(id, id + "-a1", "Alice", "AGENT", "Hello", at);
    links.message(id, id + "-c2", "Bob", "CUSTOMER", "My card is declined", at.plusSeconds(1));
    links.message(id, id + "-c3", "Bob", "CUSTOMER", "Still declined", at.plusSeconds(2));
    assertThat(links.firstCustomerMessage(id)).contains(new HelpDeskLinks.Recorded(id + "-c2", "My card is declined"));

    HelpDeskLinks.Due due = dueOf(links, id);
    links.creating(id, due.version(), at, false, Optional.empty()); // the first attempt: the title
    links.created(id, true, Optional.empty()); // a later one made it, with the message
    links.synced(id, "17", due.version(), "NEW", "t");
    assertThat(links.unsynced()).as("audit 17's F4: its messages are not in the help desk yet").isEqualTo(before + 1);
    assertThat(links.hasUnpushedMessages(id)).isTrue();
    List<HelpDeskLinks.Message> waiting = links.unpushedMessages(10_000, Instant.now()).stream()
        .filter(m -> m.eventId().startsWith(id)).toList();
    assertThat(waiting).extracting(HelpDeskLinks.Message::eventId, HelpDeskLinks.Message::firstOfCustomer,
            HelpDeskLinks.Message::twinHoldsFirstMessage, HelpDeskLinks.Message::at)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(id + "-a1", false, true, at),
            org.assertj.core.groups.Tuple.tuple(id + "-c2", true, true, at.plusSeconds(1)),
            org.assertj.core.groups.Tuple.tuple(id + "-c3", false, true, at.plusSeconds(2)));

    // a comment fails: the ticket is FAILED with why until one of its messages goes
    links.messagesFailed(id, "RT unreachable at http://rt while commenting", attempts -> Instant.EPOCH);
    assertThat(links.find(id)).contains(new HelpDeskLinks.Link("request-tracker", "17", "FAILED",
        "RT unreachable at http://rt while commenting"));
    links.messagePushed(id + "-a1", true);
    assertThat(links.find(id)).contains(new HelpDeskLinks.Link("request-tracker", "17", "OK", null));
    links.messagePushed(id + "-c2", true);
    links.messagePushed(id + "-c3", true);
    assertThat(links.hasUnpushedMessages(id)).isFalse();
    assertThat(links.unsynced()).isEqualTo(before);
  }

  /**
   * Audit 17's F1: the recorded message a twin is made with is its content, whatever the read
   * model's first message says later (a follow-up run's): the first attempt's names it, a later
   * attempt that made the twin itself names its own.
   */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void theMessageATwinIsMadeWithIsItsContentAndNoOtherIs(Database db) {
    HelpDeskLinks links = new HelpDeskLinks(db, "request-tracker");
    String id = "ticket--9-" + System.nanoTime();
    TestTickets.project(db, id, Status.NEW, "t", "Second text");
    Instant at = Instant.parse("2026-03-01T10:00:00Z");
    links.message(id, id + "-c1", "Bob", "CUSTOMER", "First text", at);
    links.message(id, id + "-c2", "Bob", "CUSTOMER", "Second text", at.plusSeconds(1));
    assertThat(links.unpushedCustomerMessage(id, "Second text")).contains(new HelpDeskLinks.Recorded(id + "-c2", "Second text"));
    assertThat(links.unpushedCustomerMessage(id, "Third text")).isEmpty();

    HelpDeskLinks.Due due = dueOf(links, id);
    links.creating(id, due.version(), at, true, Optional.of(id + "-c1"));
    links.creating(id, due.version(), at.plusSeconds(5), true, Optional.of(id + "-c2")); // a retry: the first's stays
    links.synced(id, "18", due.version(), "NEW", "t");
    assertThat(links.unpushedMessages(10_000, Instant.now()).stream().filter(m -> m.eventId().startsWith(id)))
        .extracting(HelpDeskLinks.Message::eventId, HelpDeskLinks.Message::isContent)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(id + "-c1", true),
            org.assertj.core.groups.Tuple.tuple(id + "-c2", false));

    links.created(id, true, Optional.of(id + "-c2")); // that retry made it, with its own content
    assertThat(links.unpushedMessages(10_000, Instant.now()).stream().filter(m -> m.eventId().startsWith(id)))
        .extracting(HelpDeskLinks.Message::eventId, HelpDeskLinks.Message::isContent)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(id + "-c1", false),
            org.assertj.core.groups.Tuple.tuple(id + "-c2", true));
  }

  private static HelpDeskLinks.Due dueOf(HelpDeskLinks links, String ticketId) {
    return links.due(1000, Instant.now()).stream().filter(d -> d.ticket().id().equals(ticketId)).findFirst()
        .orElseThrow(() -> new AssertionError(ticketId + " is not due"));
  }

  private static boolean counted(Database db, String ticketId) {
    return db.jdbi().withHandle(h -> h.createQuery("select ticket_open from assignments where ticket_id = :id")
        .bind("id", ticketId).mapTo(Boolean.class).one());
  }

  /** /observe/metrics' desk figures: one grouped count of the open tickets, and who has an agent. */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void theOpenTicketsAreCountedByStatusWithTheUnassignedApart(Database db) {
    TicketStore store = new TicketStore(db);
    TicketStore.OpenCounts before = store.openCounts();
    String id = "ticket--8-" + System.nanoTime();
    TestTickets.project(db, id + "a", Status.ON_HOLD);
    TestTickets.project(db, id + "b", Status.RESOLVED);
    TicketStore.OpenCounts after = store.openCounts();
    assertThat(after.byStatus()).doesNotContainKeys(Status.RESOLVED, Status.CLOSED)
        .containsEntry(Status.ON_HOLD, before.byStatus().get(Status.ON_HOLD) + 1)
        .containsEntry(Status.STALE, before.byStatus().get(Status.STALE));
    assertThat(after.unassigned()).isEqualTo(before.unassigned() + 1);
  }

  /** A refused DM whose fallback went instead is no failure: the failed figure stays, the replaced one grows. */
  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("databases")
  void aRefusedMessageWithAFallbackIsReplacedNotFailed(Database db) {
    Outbox outbox = new Outbox(db);
    long failed = outbox.failedCount();
    long replaced = outbox.replacedCount();
    String key = "refused " + System.nanoTime();
    outbox.enqueue(MessageKind.OTHER, key + " dm", 5001, null, "sendMessage", "{}", 5, "ticket-x", "{\"key\":\"f\"}");
    outbox.enqueue(MessageKind.OTHER, key + " topic", -100, 7L, "sendMessage", "{}", 5);
    outbox.queue(1000).stream().filter(r -> r.key().startsWith(key)).forEach(r -> outbox.failed(r.id(), "403"));
    assertThat(outbox.replacedCount()).isEqualTo(replaced + 1);
    assertThat(outbox.failedCount()).isEqualTo(failed + 1);
  }

  /** A sendMessage of no particular kind, keyed {@code key}, queued with {@code priority}. */
  private static void send(Outbox outbox, String key, long chat, Long thread, int priority) {
    outbox.enqueue(MessageKind.OTHER, key, chat, thread, "sendMessage", "{}", priority);
  }

  /** The keys of the run's rows as {@code queue(1000)} hands them over, without the run's prefix. */
  private static List<String> queuedOf(Outbox outbox, String run) {
    return outbox.queue(1000).stream().map(OutboxRow::key).filter(k -> k.startsWith(run))
        .map(k -> k.substring(run.length())).toList();
  }

  /** The run's rows out of the way of the next case on the shared database. */
  private static void settle(Outbox outbox, String run) {
    outbox.failed(outbox.queue(1000).stream().filter(r -> r.key().startsWith(run)).map(OutboxRow::id).toList(), "done");
  }
}
