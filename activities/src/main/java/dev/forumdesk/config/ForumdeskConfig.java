package dev.forumdesk.config;

import dev.forumdesk.sla.BusinessHours;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Priority;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.TicketPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The YAML configuration (CONTRACT.md "Configuration keys"), read once into typed records. */
public record ForumdeskConfig(
    Support support,
    List<AgentConfig> agents,
    List<String> teams,
    Sla sla,
    Routing routing,
    Crm crm,
    HelpDesk helpDesk) {

  /**
   * @param supervisorNames the supervisors written as {@code {id, name, username}}, by id: how a
   *     supervisor who is no agent is mentioned (else "Supervisor 900002")
   */
  public record Support(
      String mode, long chatId, long level2ChatId, List<Long> supervisors, String seniorGroup,
      java.util.Map<Long, Person> supervisorNames) {
    public Support(String mode, long chatId, long level2ChatId, List<Long> supervisors, String seniorGroup) {
      this(mode, chatId, level2ChatId, supervisors, seniorGroup, java.util.Map.of());
    }
  }

  public record Sla(
      Duration firstResponse,
      Duration nextResponse,
      Duration resolution,
      Duration staleAfter,
      Duration autoCloseResolved,
      Optional<BusinessHours> businessHours,
      Map<Priority, Duration> firstResponseByPriority) {}

  public record Routing(
      Map<String, List<String>> categories,
      Map<String, String> languageTeams,
      int recurringTickets,
      Duration recurringWithin,
      double negativeSentimentThreshold,
      boolean stickyAgent,
      Map<String, Double> complexity,
      String defaultLanguage,
      Map<String, Double> tierFactors,
      List<String> priorityTiers,
      String lockReplies,
      boolean enabled,
      Duration firstMessageWait) {}

  /** {@code tiers}: the built-in tier table used without a CRM (user id → tier). */
  public record Crm(Optional<String> url, Duration timeout, Map<Long, String> tiers, String defaultTier) {
    /**
     * Routing waits 5 s for the customer profile (history read, then the CRM lookup; the
     * workflow's RoutingStep.ENRICH_BUDGET): a lookup of at most 4 s leaves a second for the
     * activity to be picked up by a worker, read the history and answer.
     */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(4);
  }

  /**
   * @param requestorDomain {@code help-desk.requestor-domain}: RT gets each Telegram user as the
   *     requestor {@code tg-<user id>@<domain>}; empty (the default): no requestor
   */
  public record HelpDesk(String kind, Optional<String> url, String queue, Duration syncBack,
      Optional<String> requestorDomain) {
    public static final String BUILTIN = "builtin";
    public static final String REQUEST_TRACKER = "request-tracker";
    public static final String ZAMMAD = "zammad";
    public static final List<String> KINDS = List.of(BUILTIN, REQUEST_TRACKER, ZAMMAD);

    /** Whether tickets are mirrored into an external help desk. */
    public boolean external() {
      return !BUILTIN.equals(kind);
    }
  }

  public Optional<AgentConfig> agent(long userId) {
    return agents.stream().filter(a -> a.id() == userId).findFirst();
  }

  /** Supervisors are staff even when they are not in the agent list. */
  /** {@code support.mode}: customers open topics in the forum themselves. */
  public static final String GROUP = "group";
  /** {@code support.mode}: customers write to the bot privately; it opens a topic per ticket. */
  public static final String RELAY = "relay";

  public boolean relay() {
    return RELAY.equals(support.mode());
  }

  public Role roleOf(long userId) {
    if (support.supervisors().contains(userId)) {
      return Role.SUPERVISOR;
    }
    return agent(userId).isPresent() ? Role.AGENT : Role.CUSTOMER;
  }

  public Person person(AgentConfig a) {
    return new Person(a.id(), a.name(), a.username());
  }

  /**
   * A member of staff by Telegram id: an agent as configured, else a supervisor as named in
   * support.supervisors, else "Supervisor 900002".
   */
  public Person staffMember(long id) {
    return agent(id).map(this::person)
        .orElseGet(() -> support.supervisorNames().getOrDefault(id, new Person(id, "Supervisor " + id, null)));
  }

  /** The policy a new ticket starts with (see {@link TicketPolicy} for why it is captured). */
  public TicketPolicy ticketPolicy(boolean searchAttributes) {
    List<Person> supervisors =
        support.supervisors().stream().map(this::staffMember).toList();
    List<Person> seniors =
        agents.stream().filter(a -> a.team().equals(support.seniorGroup())).map(this::person).toList();
    return new TicketPolicy(
        sla.firstResponse(),
        sla.nextResponse(),
        sla.resolution(),
        sla.staleAfter(),
        sla.autoCloseResolved(),
        sla.firstResponseByPriority(),
        sla.businessHours().orElse(null),
        supervisors,
        support.level2ChatId(),
        support.seniorGroup(),
        seniors,
        routing.recurringTickets(),
        routing.recurringWithin(),
        routing.negativeSentimentThreshold(),
        searchAttributes,
        relay());
  }
}
