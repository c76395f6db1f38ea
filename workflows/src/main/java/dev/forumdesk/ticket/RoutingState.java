package dev.forumdesk.ticket;

import java.util.List;

/** Phase GENERAL: in the general queue, not yet routed; ROUTED: phase 2 decided. */
public record RoutingState(String phase, List<String> reasons) {
  public static RoutingState general() {
    return new RoutingState("GENERAL", List.of("phase 1: queued in general"));
  }
}
