package dev.forumdesk.ticket;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test activities that keep what the workflow asked for, deduplicated by key like the outbox,
 * and answer read-model questions from maps the test fills.
 */
public class RecordingActivities implements TicketActivities {
  public record Dm(OutboundMessage message, OutboundMessage fallback) {}

  /** Every activity call by name, in the order the workflow made them. */
  public final List<String> calls = new CopyOnWriteArrayList<>();
  /**
   * What reached the outbox, in order: each post's and staff note's key, and "level2-topic" when a
   * Level 2 topic opened (its summary queued with it).
   */
  public final List<String> queued = new CopyOnWriteArrayList<>();
  public final List<TicketState> projected = new CopyOnWriteArrayList<>();
  public final List<OutboundMessage> posted = new CopyOnWriteArrayList<>();
  public final List<Dm> dms = new CopyOnWriteArrayList<>();
  public final List<String> level2Topics = new CopyOnWriteArrayList<>();
  public final List<String> level2Summaries = new CopyOnWriteArrayList<>();
  /** The run each Level 2 topic was asked for ("null" when none was named). */
  public final List<String> level2Runs = new CopyOnWriteArrayList<>();
  public final List<String> breaches = new CopyOnWriteArrayList<>();
  public final Map<Long, Integer> otherTicketsByCustomer = new ConcurrentHashMap<>();
  public final Map<String, TicketState> closed = new ConcurrentHashMap<>();
  private final AtomicLong threads = new AtomicLong(9_000);

  @Override
  public void project(TicketState state) {
    calls.add("project");
    projected.add(state);
  }

  /** Every projection as sent, beside {@link #projected}, which holds the snapshots they amount to. */
  public final List<Projection> projections = new CopyOnWriteArrayList<>();

  /** The next this many projections fail as a database that is briefly out of connections would. */
  public final java.util.concurrent.atomic.AtomicInteger projectionsToFail = new java.util.concurrent.atomic.AtomicInteger();

  /** Runs as each projection arrives, before it is applied: a test may hold a workflow task here. */
  public volatile java.util.function.Consumer<Projection> onProjection = p -> {};

  /** Merges like the read model does, so {@link #projected} holds whole snapshots. */
  @Override
  public void projectChanges(Projection projection) {
    onProjection.accept(projection); // outside the lock: a held projection must not hold up others
    merge(projection);
  }

  private synchronized void merge(Projection projection) {
    calls.add("project");
    if (projectionsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("Connection is not available, request timed out after 5000ms");
    }
    projections.add(projection);
    TicketState stored = projected.reversed().stream()
        .filter(s -> s.id().equals(projection.head().id()))
        .findFirst()
        .orElse(null);
    try {
      projection.onto(stored).ifPresent(projected::add);
    } catch (Projection.Gap gap) {
      throw gap.asFailure();
    }
  }

  /** Every post as the workflow asked for it, repeats too (the outbox drops a repeated key; {@link #posted} does). */
  public final List<OutboundMessage> postsAsked = new CopyOnWriteArrayList<>();

  @Override
  public void post(OutboundMessage message) {
    calls.add("post");
    postsAsked.add(message);
    if (posted.stream().noneMatch(m -> m.key().equals(message.key()))) {
      queued.add(message.key());
      posted.add(message);
    }
  }

  /**
   * The notices whose customer's line the workflow queued ahead of them (lifecycle rules 11), once per
   * key, as the outbox keeps the line; each is in {@link #queued} as "customer-line".
   */
  public final List<OutboundMessage> customerLines = new CopyOnWriteArrayList<>();
  /** Every such call, repeats too. */
  public final List<OutboundMessage> customerLinesAsked = new CopyOnWriteArrayList<>();

  @Override
  public void customerLine(OutboundMessage notice) {
    calls.add("customerLine");
    customerLinesAsked.add(notice);
    if (customerLines.stream().noneMatch(m -> m.key().equals(notice.key()))) {
      queued.add("customer-line");
      customerLines.add(notice);
    }
  }

  @Override
  public void directMessage(String ticketId, OutboundMessage message, OutboundMessage fallback) {
    calls.add("directMessage");
    if (dms.stream().noneMatch(d -> d.message().key().equals(message.key()))) {
      dms.add(new Dm(message, fallback));
    }
  }

  /** Staff notes with nobody to go to privately, as the workflow handed them over. */
  public final List<OutboundMessage> staffNotes = new CopyOnWriteArrayList<>();

  /** What {@link #staffNote} answers: where the note went instead of the topic (null: the topic). */
  public volatile String staffNoteWentTo = "posted in the staff forum instead";

  @Override
  public Optional<String> staffNote(String ticketId, OutboundMessage note) {
    calls.add("staffNote");
    if (staffNotes.stream().noneMatch(m -> m.key().equals(note.key()))) {
      queued.add(note.key());
      staffNotes.add(note);
    }
    return Optional.ofNullable(staffNoteWentTo);
  }

  /**
   * When set, {@link #openLevel2Topic} opens none and fails with these words, as the real activity does
   * when customers read the Level 2 forum of now ({@link TicketActivities#NO_LEVEL2_FORUM}).
   */
  public volatile String noLevel2Forum;

  /**
   * While set and not counted down, {@link #openLevel2Topic} answers as the real one does while the topic
   * waits in the outbox for the staff forum's budget: a benign failure, asked again after {@link
   * #level2TopicAskedAgainIn}. {@link #level2TopicAsked} gets a permit on each try.
   */
  public volatile java.util.concurrent.CountDownLatch level2TopicBudget;
  public volatile java.time.Duration level2TopicAskedAgainIn = java.time.Duration.ofMinutes(10);
  public final java.util.concurrent.Semaphore level2TopicAsked = new java.util.concurrent.Semaphore(0);

  /**
   * What {@link #openLevel2TopicDetailed} says of an earlier call for the topic a restart interrupted:
   * the forum it was in, or null (none).
   */
  public volatile Long level2TopicInterruptedIn;

  /**
   * Whether {@link #openLevel2TopicDetailed} says the summary carries the first message; null: as the
   * workflow wrote it, as the real activity says when the message has not come.
   */
  public volatile Boolean level2SummaryHasFirstMessage;

  @Override
  public Level2TopicOpened openLevel2TopicDetailed(
      String ticketId, long level2ChatId, String title, String summaryHtml, String run) {
    calls.add("openLevel2TopicDetailed");
    long thread = open(ticketId, level2ChatId, title, summaryHtml, run);
    Boolean withFirst = level2SummaryHasFirstMessage;
    return new Level2TopicOpened(level2ChatId, thread, level2TopicInterruptedIn,
        withFirst != null ? withFirst : !Level2Summary.mayLackFirstMessage(summaryHtml));
  }

  @Override
  public long openLevel2Topic(String ticketId, long level2ChatId, String title, String summaryHtml, String run) {
    calls.add("openLevel2Topic");
    return open(ticketId, level2ChatId, title, summaryHtml, run);
  }

  private long open(String ticketId, long level2ChatId, String title, String summaryHtml, String run) {
    level2Runs.add(String.valueOf(run));
    level2TopicAsked.release();
    java.util.concurrent.CountDownLatch budget = level2TopicBudget;
    if (budget != null && budget.getCount() > 0) {
      throw io.temporal.failure.ApplicationFailure.newBuilder().setType("Waiting")
          .setCategory(io.temporal.failure.ApplicationErrorCategory.BENIGN).setNextRetryDelay(level2TopicAskedAgainIn)
          .setMessage("the Level 2 topic waits in the outbox (PENDING) for the forum's message budget").build();
    }
    String declined = noLevel2Forum;
    if (declined != null) {
      throw io.temporal.failure.ApplicationFailure.newBuilder().setType(NO_LEVEL2_FORUM).setNonRetryable(true)
          .setMessage(declined).build();
    }
    level2Topics.add(title);
    level2Summaries.add(summaryHtml);
    queued.add("level2-topic");
    return threads.incrementAndGet();
  }

  @Override
  public int otherRecentTickets(String ticketId, long customerId, Instant since) {
    calls.add("otherRecentTickets");
    return otherTicketsByCustomer.getOrDefault(customerId, 0);
  }

  @Override
  public Optional<TicketState> closedPredecessor(String ticketId) {
    calls.add("closedPredecessor");
    return Optional.ofNullable(closed.get(ticketId));
  }

  @Override
  public void breach(String ticketId, String clock) {
    calls.add("breach");
    breaches.add(clock);
  }

  /** What {@link #inboxBacklog} answers, by ticket id: the update ids the test says wait in the inbox. */
  public final Map<String, List<Long>> backlog = new ConcurrentHashMap<>();
  /** Answers {@link #inboxBacklog}: {@link #backlog}'s, unless a test reads a real inbox. */
  public volatile java.util.function.BiFunction<String, Long, List<Long>> backlogOf =
      (ticketId, customerId) -> backlog.getOrDefault(ticketId, List.of());

  @Override
  public List<Long> inboxBacklog(String ticketId, Long customerId) {
    calls.add("inboxBacklog");
    return backlogOf.apply(ticketId, customerId);
  }

  public List<OutboundMessage> postedWithKeySuffix(String suffix) {
    return posted.stream().filter(m -> m.key().endsWith(suffix)).toList();
  }

  public List<OutboundMessage> postedWithKeyContaining(String part) {
    return posted.stream().filter(m -> m.key().contains(part)).toList();
  }
}
