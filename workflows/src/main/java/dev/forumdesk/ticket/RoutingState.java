package dev.forumdesk.ticket;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Phase GENERAL: in the general queue, not yet routed; ROUTED: phase 2 decided.
 *
 * @param previousAgent a follow-up run's previous agent, whom routing prefers as the sticky agent
 *     (on shift, not away, under cap; else the usual choice). Null for a first run, and left out of
 *     the JSON then, so a snapshot reads as before.
 */
public record RoutingState(
    String phase, List<String> reasons, @JsonInclude(JsonInclude.Include.NON_NULL) Person previousAgent) {
  public static RoutingState general() {
    return general(null);
  }

  /** Phase 1 of a follow-up run that prefers {@code previousAgent}, or of a first run (null). */
  public static RoutingState general(Person previousAgent) {
    return new RoutingState("GENERAL", List.of("phase 1: queued in general"), previousAgent);
  }
}
