package dev.forumdesk.api;

import dev.forumdesk.helpdesk.HelpDesk;
import dev.forumdesk.store.HelpDeskLinks;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code "helpDesk"} object of the ticket JSON (CONTRACT.md) when a help desk is configured:
 * {@code {"kind","externalId","url","sync":"OK|PENDING|FAILED"}}, plus {@code "error"} while FAILED.
 * The ticket list carries it too, for the dashboard's help-desk column.
 */
public interface HelpDeskTwins {
  /** help-desk.kind builtin: the ticket JSON has no helpDesk object. */
  HelpDeskTwins NONE = ticketIds -> Map.of();

  /** Each ticket's twin, by ticket id (every one of them when a help desk is configured, else none). */
  Map<String, Map<String, Object>> ofAll(Collection<String> ticketIds);

  default Optional<Map<String, Object>> of(String ticketId) {
    return Optional.ofNullable(ofAll(List.of(ticketId)).get(ticketId));
  }

  static HelpDeskTwins of(HelpDesk helpDesk, HelpDeskLinks links) {
    return ticketIds -> {
      Map<String, HelpDeskLinks.Link> found = links.find(ticketIds);
      Map<String, Map<String, Object>> twins = new LinkedHashMap<>();
      for (String id : ticketIds) {
        twins.put(id, view(helpDesk, Optional.ofNullable(found.get(id))));
      }
      return twins;
    };
  }

  private static Map<String, Object> view(HelpDesk helpDesk, Optional<HelpDeskLinks.Link> link) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("kind", helpDesk.kind());
    String external = link.map(HelpDeskLinks.Link::externalId).orElse(null);
    view.put("externalId", external);
    view.put("url", external == null ? null : helpDesk.url(external));
    view.put("sync", link.map(HelpDeskLinks.Link::sync).orElse("PENDING"));
    link.map(HelpDeskLinks.Link::lastError).filter(e -> link.get().sync().equals("FAILED"))
        .ifPresent(e -> view.put("error", e));
    return view;
  }
}
