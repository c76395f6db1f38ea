package dev.forumdesk.routing;

import dev.forumdesk.ticket.Person;
import java.util.List;

/** {@code agent} null: nobody capable has a free slot now, the ticket waits in its queue. */
public record AssignResult(Person agent, List<String> reasons) {
  public static AssignResult waiting(List<String> reasons) {
    return new AssignResult(null, List.copyOf(reasons));
  }

  public boolean assigned() {
    return agent != null;
  }
}
