package dev.forumdesk.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Every bot message goes through here. Enqueueing is idempotent by key. Before a call to Telegram
 * the row is marked SENDING; the outcome (SENT with Telegram's message id, FAILED with the reason,
 * back to PENDING for a retry, or UNKNOWN) is written in one transaction, so a restart never sends
 * a message twice.
 */
public final class Outbox {
  /**
   * Methods that post a message into their topic. A topic's messages go out in the order they
   * were enqueued; other calls (a title edit) are no part of the conversation and take their own
   * turn, so a title is not held back by the group's 20 messages a minute.
   */
  public static final Set<String> MESSAGE_METHODS =
      Set.of("sendMessage", "sendPhoto", "sendDocument", "forwardMessage", "copyMessage");

  /**
   * Calls that post something in the chat, and so spend its per-chat and per-group budget:
   * messages, and createForumTopic, whose "topic created" service message Telegram posts in the
   * group (27 new topics in 5 s met 429s in the audit). A new topic is no part of any topic's
   * conversation: it takes its own turn.
   */
  public static final Set<String> BUDGET_METHODS = Set.of("sendMessage", "sendPhoto", "sendDocument",
      "forwardMessage", "copyMessage", "createForumTopic");

  private final Database db;
  /** The embedded store's calls, journaled where a kill -9 does not lose them; none with PostgreSQL. */
  private final Optional<CallJournal> journal;
  /**
   * Keys of calls the journal shows begun whose rows H2 lost altogether: enqueued again (by their
   * ticket, restored from an older snapshot), such a row is UNKNOWN from the start.
   */
  private final Set<String> lostRows = ConcurrentHashMap.newKeySet();
  /** The methods a restart may repeat, as the sender said at {@link #recoverInterrupted}. */
  private volatile Set<String> idempotentMethods = Set.of();
  private volatile LongConsumer enqueued = chat -> {};

  public Outbox(Database db) {
    this.db = db;
    this.journal = db.isEmbedded() ? Optional.of(new CallJournal(db)) : Optional.empty();
  }

  /**
   * Told the chat of every message enqueued, once it is committed: the sender wakes for it, so no
   * caller can forget to, and knows whose limit the new message waits for.
   */
  public void onEnqueued(LongConsumer listener) {
    this.enqueued = listener;
  }

  /**
   * @param kind what the message says, for the sender ({@link MessageKind}); the key only makes
   *     enqueueing idempotent
   * @return true when enqueued now, false when a message with this key already exists.
   */
  public boolean enqueue(
      MessageKind kind, String key, long chatId, Long threadId, String method, String payload, int priority) {
    return enqueue(kind, key, chatId, threadId, method, payload, priority, null, null);
  }

  /**
   * @param ticketId the ticket the message is about, told when Telegram refuses it for good
   * @param fallback JSON of another row (key, chat_id, thread_id, payload) to send instead then
   */
  public boolean enqueue(
      MessageKind kind, String key, long chatId, Long threadId, String method, String payload, int priority,
      String ticketId, String fallback) {
    boolean added = db.jdbi().inTransaction(
        h -> insert(h, kind, key, chatId, threadId, method, payload, priority, ticketId, fallback));
    if (added) {
      enqueued.accept(chatId);
    }
    return added;
  }

  /**
   * Enqueues these messages of {@code kind} (sendMessage, {@link #enqueue(MessageKind, OutboundMessage, String,
   * String)}) together,
   * in one transaction, unless a row keyed {@code family}, or {@code family} followed by {@code ':'}
   * and more, exists: one thing told once whatever its recipients are, such as the day's report
   * wherever it goes now.
   *
   * @return how many were enqueued now: none when one of the family was there already
   */
  public int enqueueUnlessAnyOf(MessageKind kind, String family, List<OutboundMessage> messages) {
    List<OutboundMessage> added = db.jdbi().inTransaction(h -> {
      List<OutboundMessage> inserted = new ArrayList<>();
      if (!anyOf(h, family)) {
        for (OutboundMessage m : messages) {
          if (insert(h, kind, m.key(), m.chatId(), m.threadId(), "sendMessage", sendMessageParams(m).toString(),
              m.priority(), null, null)) {
            inserted.add(m);
          }
        }
      }
      return inserted;
    });
    added.forEach(m -> enqueued.accept(m.chatId()));
    return added.size();
  }

  /** Whether a row keyed {@code family}, or {@code family} followed by {@code ':'} and more, exists. */
  public boolean anyOf(String family) {
    return db.jdbi().withHandle(h -> anyOf(h, family));
  }

  /**
   * The smallest key starting with {@code prefix}, if any: of keys that go on with a date
   * ({@code sla-report:2026-12-03}), the oldest.
   */
  public Optional<String> smallestKeyStartingWith(String prefix) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select min(idem_key) from outbox where idem_key like :prefix escape '\\'")
        .bind("prefix", likeLiteral(prefix) + "%")
        .mapTo(String.class).findOne());
  }

  private static boolean anyOf(Handle h, String family) {
    String literal = likeLiteral(family);
    return h.createQuery("select 1 from outbox where idem_key = :key or idem_key like :family escape '\\' limit 1")
        .bind("key", family)
        .bind("family", literal + ":%")
        .mapTo(Integer.class).findOne().isPresent();
  }

  /** {@code s} as a LIKE pattern that matches only itself (escape character {@code \}). */
  private static String likeLiteral(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private boolean insert(Handle h, MessageKind kind, String key, long chatId, Long threadId, String method, String payload,
      int priority, String ticketId, String fallback) {
    boolean lost = lostRows.contains(key) && !idempotentMethods.contains(method);
    Optional<Long> id =
        h.createUpdate(
                "insert into outbox (idem_key, chat_id, thread_id, method, payload,"
                    + " priority, status, next_attempt_at, created_at, ticket_id,"
                    + " fallback, turn_priority, turn_id, last_error, kind) values (:key, :chat, :thread,"
                    + " :method, :payload, :priority, :status, :now, :now, :ticket,"
                    + " :fallback, :priority, 0, :error, :kind) on conflict do nothing")
            .bind("status", lost ? "UNKNOWN" : "PENDING")
            .bind("error", lost ? INTERRUPTED : null)
            .bind("key", key)
            .bind("kind", kind.name())
            .bind("chat", chatId)
            .bind("thread", threadId)
            .bind("method", method)
            .bind("payload", payload)
            .bind("priority", priority)
            .bind("now", Instant.now())
            .bind("ticket", ticketId)
            .bind("fallback", fallback)
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .findOne();
    id.ifPresent(i -> takeTurn(h, i, chatId, threadId, ticketId, priority, MESSAGE_METHODS.contains(method)));
    if (id.isPresent()) {
      lostRows.remove(key);
    }
    return id.isPresent();
  }

  /**
   * The new row's turn is its own. A message also lends it to the messages waiting before it in
   * its topic whose turn would come later, so that none of them is overtaken by it: in the same
   * transaction as the insert, so the sender never sees the one without the other. A message
   * under way (SENDING) takes it too: put back for a retry, it would otherwise come after the
   * message enqueued during its call.
   *
   * <p>A chat's General topic (no thread: the staff forum's notices, a private chat) is shared by
   * many tickets, and there a ticket's message lends its turn only to its own ticket's older
   * messages: an urgent breach lent it to every ticket's waiting "⬆️ Escalated to Level 2" notice,
   * which then went before the Level 2 topics they point to, and the breach after all of them
   * (audit 14, F1 and F2: 10 notices before their topics, the supervisors' call 47 s late). The
   * order that matters there is one ticket's. A row with no ticket lends as before.
   *
   * <p>A person's escalation there ({@link OutboundMessage#ESCALATION}: "⬆️ Escalated to Level 2 …")
   * lends its turn to its ticket's older messages in every topic of the chat: its Level 2 topic's
   * summary, waiting in the same forum, goes before the notice that points to it, as it did when the
   * notice's turn came after the topics' (audit 14, F1).
   */
  private static void takeTurn(Handle h, long id, long chatId, Long threadId, String ticketId, int priority,
      boolean message) {
    boolean ticketsOwn = threadId == null && ticketId != null;
    boolean everyTopic = ticketsOwn && priority < OutboundMessage.URGENT;
    String rows = !message ? "id = :id"
        : "status in ('PENDING', 'SENDING') and chat_id = :chat"
            + (everyTopic ? "" : threadId == null ? " and thread_id is null" : " and thread_id = :thread")
            + (ticketsOwn ? " and ticket_id = :ticket" : "")
            + " and method in (<messages>) and (turn_priority > :priority or id = :id)";
    var update = h.createUpdate("update outbox set turn_priority = :priority, turn_id = :id where " + rows)
        .bind("priority", priority)
        .bind("id", id);
    if (message) {
      update.bind("chat", chatId).bindList("messages", List.copyOf(MESSAGE_METHODS));
      if (threadId != null) {
        update.bind("thread", threadId);
      }
      if (ticketsOwn) {
        update.bind("ticket", ticketId);
      }
    }
    update.execute();
  }

  /**
   * Pending rows in the order the sender takes them, by turn: a topic's messages in the order
   * they were enqueued, topics by the most urgent message they have waiting (ties: whose came
   * first), each taking its older messages with it. Rows waiting for a retry are included: they
   * hold the rest of their topic.
   *
   * <p>Which rows make the {@code limit}: every chat's first row in turn order, then every chat's
   * second, and so on. Read by turn alone, a group's backlog (hundreds of messages at 20 a minute)
   * filled the whole read, and a private chat's message behind it waited minutes although its own
   * chat had room. A chat's rows are always its first ones in turn order, so a topic's older
   * messages still come with its newer ones (their turn is never later). The ranking reads every
   * pending row, on PostgreSQL about 10 ms with 8,000 of them (0.3-0.5 ms for the first 200 by
   * turn), on H2 a little more than the read by turn took; while a chat waits for its limit the
   * sender reads about once a second.
   */
  public List<OutboxRow> queue(int limit) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "select o.id, o.idem_key, o.chat_id, o.thread_id, o.method, o.payload, o.priority,"
                            + " o.attempts, o.next_attempt_at, o.kind, o.turn_priority from outbox o join (select id from (select id,"
                            + " turn_priority, turn_id, row_number() over (partition by chat_id order by"
                            + " turn_priority, turn_id, id) as place from outbox where status = 'PENDING') w"
                            + " order by place, turn_priority, turn_id, id limit :limit) f on f.id = o.id"
                            + " order by o.turn_priority, o.turn_id, o.id")
                    .bind("limit", limit)
                    .map(ROW)
                    .list());
  }

  /** The columns {@link #ROW} reads, in its order. */
  private static final String ROW_COLUMNS = "id, idem_key, chat_id, thread_id, method, payload, priority, attempts,"
      + " next_attempt_at, kind, turn_priority";

  /** A row as the sender reads it: the columns of {@link #ROW_COLUMNS} (the queue's too), in that order. */
  private static final RowMapper<OutboxRow> ROW = (rs, ctx) -> new OutboxRow(rs.getLong(1), rs.getString(2),
      rs.getLong(3), (Long) rs.getObject(4, Long.class), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getInt(8),
      rs.getObject(9, OffsetDateTime.class).toInstant(), MessageKind.named(rs.getString(10)), rs.getInt(11));

  /**
   * The row with this key while it is PENDING, not taken: a role that sends one message itself
   * ({@code OutboxSender#sendNow}) reads where it goes, takes a slot of that chat's limits, and only
   * then {@link #claim}s it, so that a row it claimed is one it calls for at once.
   */
  public Optional<OutboxRow> pending(String key) {
    return db.jdbi().withHandle(h -> h.createQuery("select " + ROW_COLUMNS + " from outbox where idem_key = :key"
            + " and status = 'PENDING'")
        .bind("key", key)
        .map(ROW)
        .findOne());
  }

  /**
   * The pending row with this key, taken for a call now (SENDING) unless a sender took it first:
   * for a role that sends one message itself without running the sender.
   */
  public Optional<OutboxRow> claim(String key) {
    Instant now = Instant.now();
    Optional<OutboxRow> taken = db.jdbi().inTransaction(h -> {
      int updated = h.createUpdate("update outbox set status = 'SENDING', attempt_started_at = :now"
              + " where idem_key = :key and status = 'PENDING'")
          .bind("now", now)
          .bind("key", key)
          .execute();
      if (updated == 0) {
        return Optional.<OutboxRow>empty();
      }
      return h.createQuery("select " + ROW_COLUMNS + " from outbox where idem_key = :key")
          .bind("key", key)
          .map(ROW)
          .findOne();
    });
    taken.ifPresent(row -> journal.ifPresent(j -> j.began(Map.of(row.key(), row.attempts()), now)));
    return taken;
  }

  /**
   * Whether a topic the ticket asked for in this chat has opened (a createForumTopic row keyed by the
   * ticket, or one of its runs, is SENT) and none is still on its way: its Level 2 topic exists, and
   * a notice pointing to it need not wait for it.
   */
  public boolean topicOpened(long chatId, String ticketId) {
    List<String> statuses = db.jdbi().withHandle(h -> h.createQuery("select status from outbox where chat_id = :chat"
            + " and method = 'createForumTopic' and idem_key like :ticket escape '\\'")
        .bind("chat", chatId)
        .bind("ticket", likeLiteral(ticketId) + ":%")
        .mapTo(String.class)
        .list());
    return statuses.contains("SENT") && !statuses.contains("PENDING") && !statuses.contains("SENDING");
  }

  /** Pending rows that go no earlier than {@code at}, not for a retry: their attempts stay as they are. */
  public void defer(List<Long> ids, Instant at) {
    db.jdbi().useHandle(h -> h.createUpdate("update outbox set next_attempt_at = :at where id in (<ids>)"
            + " and status = 'PENDING'")
        .bind("at", at).bindList("ids", ids).execute());
  }

  /**
   * Committed before the call: a crash from here on leaves evidence that it may have gone out. In
   * the embedded store the call is journaled first in the inbox's SQLite file ({@link CallJournal}):
   * H2 lost its last commits at a kill -9, this mark among them. Only rows still PENDING are taken:
   * one that another role's {@link #claim} took since the sender read the queue (the webhook role's
   * alert, sent at once) is that role's call; marked over the claim, it went twice. Of rows folded
   * into one call, only those taken may go in it: one that role sent meanwhile went in full.
   *
   * @return the rows taken, in their order
   */
  public List<OutboxRow> attempting(List<OutboxRow> rows) {
    journal.ifPresent(j -> j.began(
        rows.stream().collect(Collectors.toMap(OutboxRow::key, OutboxRow::attempts)), Instant.now()));
    Instant now = Instant.now();
    int[] updated = db.jdbi().inTransaction(h -> {
      PreparedBatch mark = h.prepareBatch("update outbox set status = 'SENDING', attempt_started_at = :now"
          + " where id = :id and status = 'PENDING'");
      rows.forEach(r -> mark.bind("now", now).bind("id", r.id()).add());
      return mark.execute();
    });
    List<OutboxRow> taken = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      if (updated[i] > 0) {
        taken.add(rows.get(i));
      }
    }
    return taken;
  }

  public void sent(long id, Long messageId) {
    sent(List.of(id), messageId);
  }

  /**
   * All rows of one call are marked SENT with the message id together; rows folded into the first
   * one (coalesced notices) point at it.
   */
  public void sent(List<Long> ids, Long messageId) {
    db.jdbi()
        .useTransaction(
            h ->
                h.createUpdate(
                        "update outbox set status = 'SENT', sent_at = :now, sent_message_id = :mid,"
                            + " attempts = attempts + 1, coalesced_into = case when id = :head"
                            + " then null else :head end where id in (<ids>)")
                    .bind("now", Instant.now())
                    .bind("mid", messageId)
                    .bind("head", ids.getFirst())
                    .bindList("ids", ids)
                    .execute());
  }

  public void retryLater(long id, Duration delay, String error) {
    retryLater(List.of(id), delay, error);
  }

  public void retryLater(List<Long> ids, Duration delay, String error) {
    update(ids, "status = 'PENDING', attempts = attempts + 1, next_attempt_at = :at, last_error = :error",
        Optional.of(delay), error);
  }

  /** Telegram refused for good (400/403): keep the reason, never retry. */
  public void failed(long id, String reason) {
    failed(List.of(id), reason);
  }

  public void failed(List<Long> ids, String reason) {
    update(ids, "status = 'FAILED', attempts = attempts + 1, last_error = :error", Optional.empty(), reason);
  }

  /**
   * Not sent, and never will be: by the time it could go, what it said no longer held (a warning
   * of a deadline that passed meanwhile). The reason is kept; status DROPPED.
   */
  public void dropped(long id, String reason) {
    update(List.of(id), "status = 'DROPPED', last_error = :error", Optional.empty(), reason);
  }

  /**
   * The call may or may not have reached Telegram and the method is not idempotent: repeating it
   * could post a second copy, so the row is set aside with the reason for a person to look at.
   */
  public void unknown(List<Long> ids, String reason) {
    update(ids, "status = 'UNKNOWN', attempts = attempts + 1, last_error = :error", Optional.empty(), reason);
  }

  private void update(List<Long> ids, String set, Optional<Duration> delay, String error) {
    Instant now = Instant.now();
    db.jdbi()
        .useHandle(
            h -> {
              var u = h.createUpdate("update outbox set " + set + " where id in (<ids>)").bindList("ids", ids);
              if (set.contains(":now")) {
                u.bind("now", now);
              }
              if (set.contains(":at")) {
                u.bind("at", now.plus(delay.orElse(Duration.ZERO)));
              }
              if (set.contains(":error")) {
                u.bind("error", Inbox.truncate(error));
              }
              u.execute();
            });
  }

  /**
   * After a crash, rows left SENDING were mid-call. Idempotent methods go back to PENDING; the rest
   * become UNKNOWN rather than risk a duplicate. In the embedded store a row the call journal shows
   * begun, which H2 has PENDING with no outcome since (the same attempts: H2 lost the marks), was
   * mid-call too; one H2 lost altogether is UNKNOWN when it is enqueued again.
   *
   * @return how many rows became UNKNOWN, and how many of them open a topic (asked for again by
   *     their ticket: NewTopics)
   */
  public Interrupted recoverInterrupted(Set<String> idempotentMethods) {
    this.idempotentMethods = Set.copyOf(idempotentMethods);
    List<CallJournal.Entry> begun = journal.map(CallJournal::lastBegun).orElse(List.of());
    return db.jdbi()
        .inTransaction(
            h -> {
              if (!begun.isEmpty()) {
                var lost = h.prepareBatch("update outbox set status = 'SENDING', attempt_started_at = :at"
                    + " where idem_key = :key and status = 'PENDING' and attempts = :attempts");
                begun.forEach(e -> lost.bind("key", e.key()).bind("attempts", e.attempts())
                    .bind("at", e.startedAt()).add());
                lost.execute();
                Set<String> keys = new HashSet<>(begun.stream().map(CallJournal.Entry::key).toList());
                for (List<String> some : chunks(List.copyOf(keys), 500)) {
                  keys.removeAll(h.createQuery("select idem_key from outbox where idem_key in (<keys>)")
                      .bindList("keys", some).mapTo(String.class).list());
                }
                lostRows.addAll(keys);
              }
              if (!idempotentMethods.isEmpty()) {
                h.createUpdate("update outbox set status = 'PENDING' where status = 'SENDING' and method in (<m>)")
                    .bindList("m", List.copyOf(idempotentMethods))
                    .execute();
              }
              // a Level 2 topic is asked for again by its ticket, which needs one (NewTopics)
              int topics = h.createUpdate("update outbox set status = 'UNKNOWN', last_error = :error"
                      + " where status = 'SENDING' and method = 'createForumTopic'")
                  .bind("error", TOPIC_INTERRUPTED)
                  .execute();
              return new Interrupted(topics + h.createUpdate("update outbox set status = 'UNKNOWN',"
                      + " last_error = :error where status = 'SENDING'")
                  .bind("error", INTERRUPTED)
                  .execute(), topics);
            });
  }

  /** Rows a restart found mid-call, now UNKNOWN; {@code topics} of them createForumTopic. */
  public record Interrupted(int rows, int topics) {}

  private static final String INTERRUPTED =
      "interrupted by a restart during the call; not repeated to avoid a duplicate";
  private static final String TOPIC_INTERRUPTED = "interrupted by a restart during the call, which may have opened"
      + " the topic; its ticket asks for it again, so an empty topic of the same name may be left";

  /**
   * Row {@code key}, UNKNOWN, was asked again as {@code again}: its reason says so, with what it may
   * have left behind ({@code left}).
   */
  public void askedAgain(String key, String again, String left) {
    db.jdbi().useHandle(h -> h.createUpdate("update outbox set last_error = :error where idem_key = :key"
            + " and status = 'UNKNOWN'")
        .bind("key", key).bind("error", Inbox.truncate("asked again as " + again + "; " + left)).execute());
  }

  private static <T> List<List<T>> chunks(List<T> all, int size) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += size) {
      out.add(all.subList(i, Math.min(all.size(), i + size)));
    }
    return out;
  }

  /** A call made to Telegram: when it reached Telegram (as far as the outbox knows), where, how. */
  public record Call(long chatId, String method, Instant at) {}

  /**
   * The calls that reached or may have reached Telegram since {@code since}, oldest first: SENT
   * rows (not those coalesced into another row's call) by their send time, UNKNOWN and SENDING
   * ones by when the attempt started. The sender's rate limits start from them after a restart.
   */
  public List<Call> callsSince(Instant since) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select chat_id, method, at from (select chat_id, method, case when status = 'SENT' then sent_at"
                + " else attempt_started_at end as at from outbox where coalesced_into is null and status in"
                + " ('SENT', 'UNKNOWN', 'SENDING') and (sent_at >= :since or attempt_started_at >= :since)) c"
                + " where at >= :since order by at")
        .bind("since", since)
        .map((rs, ctx) -> new Call(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant()))
        .list());
  }

  /**
   * Enqueues a bot message as sendMessage (HTML, in its topic, no link previews).
   *
   * @param ticketId the ticket told when Telegram refuses the message for good, or null
   * @param fallback see the long form of enqueue, or null
   */
  public boolean enqueue(MessageKind kind, OutboundMessage m, String ticketId, String fallback) {
    return enqueue(kind, m.key(), m.chatId(), m.threadId(), "sendMessage", sendMessageParams(m).toString(),
        m.priority(), ticketId, fallback);
  }

  /** sendMessage parameters: HTML, in the topic when there is one, without link previews. */
  public static ObjectNode sendMessageParams(OutboundMessage m) {
    ObjectNode params = Json.mapper().createObjectNode();
    params.put("chat_id", m.chatId());
    if (m.threadId() != null) {
      params.put("message_thread_id", m.threadId());
    }
    params.put("text", m.html());
    params.put("parse_mode", "HTML");
    params.putObject("link_preview_options").put("is_disabled", true);
    return params;
  }

  /** What to do when a row is refused for good: its ticket and fallback, if it has them. */
  public record Refusal(String ticketId, String fallback) {}

  public Optional<Refusal> refusalOf(long id) {
    return db.jdbi().withHandle(h -> h.createQuery("select ticket_id, fallback from outbox where id = :id")
        .bind("id", id)
        .map((rs, ctx) -> new Refusal(rs.getString(1), rs.getString(2)))
        .findOne());
  }

  /** Messages not yet sent (waiting or under way). */
  public long backlog() {
    return count("status in ('PENDING', 'SENDING')");
  }

  /**
   * Messages Telegram refused for good with nothing sent instead: a real failure. A refused DM whose
   * fallback went instead (the person never started the bot) is {@link #replacedCount}.
   */
  public long failedCount() {
    return count("status = 'FAILED' and fallback is null");
  }

  /** DMs Telegram refused for good (the person never started or blocked the bot) whose fallback went instead. */
  public long replacedCount() {
    return count("status = 'FAILED' and fallback is not null");
  }

  public long unknownCount() {
    return count("status = 'UNKNOWN'");
  }

  /** Creation time of the oldest message not yet sent, if any. */
  public Optional<Instant> oldestUnsent() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("select min(created_at) from outbox where status in ('PENDING', 'SENDING')")
                    .mapTo(OffsetDateTime.class)
                    .findOne()
                    .map(OffsetDateTime::toInstant));
  }

  /**
   * What became of the last private message to {@code chatId} that went out or was refused: true
   * delivered, false refused for good with a 403 (the person never started or blocked the bot; the
   * error is TelegramClient's "sendMessage: 403 Forbidden: …", and Telegram's description of every
   * 403 starts "Forbidden:", so either marks it); empty when none has yet. A refusal
   * of another kind (400 "message is too long") is that message's, and says nothing of the person
   * (audit 16, F1).
   */
  public Optional<Boolean> lastPrivateDelivered(long chatId) {
    return db.jdbi().withHandle(h -> h.createQuery("select status from outbox where chat_id = :chat"
            + " and thread_id is null and (status = 'SENT' or status = 'FAILED'"
            + " and (last_error like :code or last_error like :forbidden))"
            + " order by id desc limit 1")
        .bind("code", "%403 %")
        .bind("forbidden", "%Forbidden%")
        .bind("chat", chatId)
        .mapTo(String.class)
        .findOne()
        .map("SENT"::equals));
  }

  /** The id of the last private message to {@code chatId} Telegram took, if any. */
  public Optional<Long> lastPrivateSent(long chatId) {
    return db.jdbi().withHandle(h -> h.createQuery("select max(id) from outbox where chat_id = :chat"
            + " and thread_id is null and status = 'SENT'")
        .bind("chat", chatId)
        .mapTo(Long.class)
        .findOne());
  }

  /**
   * What became of the row with this key.
   *
   * @param chatId the chat it is (or was) sent to
   * @param messageId Telegram's id for what was sent: the message, or a new topic's thread id
   * @param error why it was refused or may not have gone
   */
  public record Outcome(long chatId, String status, Long messageId, String error) {}

  public Optional<Outcome> outcome(String key) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select chat_id, status, sent_message_id, last_error from outbox where idem_key = :key")
        .bind("key", key)
        .map((rs, ctx) -> new Outcome(rs.getLong(1), rs.getString(2), (Long) rs.getObject(3, Long.class),
            rs.getString(4)))
        .findOne());
  }

  /** The status of the row with this key, for tests and support. */
  public Optional<String> status(String key) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("select status from outbox where idem_key = :key")
                    .bind("key", key)
                    .mapTo(String.class)
                    .findOne());
  }

  private long count(String where) {
    return db.jdbi()
        .withHandle(h -> h.createQuery("select count(*) from outbox where " + where).mapTo(Long.class).one());
  }
}
