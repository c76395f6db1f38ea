package dev.forumdesk.ticket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test activities: keep what the workflow projected and posted, like the outbox would by key. */
public class RecordingActivities implements TicketActivities {
  public final List<TicketState> projected = new CopyOnWriteArrayList<>();
  public final List<OutboundMessage> posted = new CopyOnWriteArrayList<>();

  @Override
  public void project(TicketState state) {
    projected.add(state);
  }

  @Override
  public void post(OutboundMessage message) {
    if (posted.stream().noneMatch(m -> m.key().equals(message.key()))) {
      posted.add(message);
    }
  }

  public List<OutboundMessage> postedWithKeySuffix(String suffix) {
    return posted.stream().filter(m -> m.key().endsWith(suffix)).toList();
  }
}
