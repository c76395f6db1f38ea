package dev.forumdesk.api;

import dev.forumdesk.helpdesk.HelpDesk;
import dev.forumdesk.store.HelpDeskLinks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code "helpDesk"} object of the ticket JSON (CONTRACT.md) when a help desk is configured:
 * {@code {"kind","externalId","url","sync":"OK|PENDING|FAILED"}}, plus {@code "error"} while FAILED.
 */
public interface HelpDeskTwins {
  /** help-desk.kind builtin: the ticket JSON has no helpDesk object. */
  HelpDeskTwins NONE = ticketId -> Optional.empty();

  Optional<Map<String, Object>> of(String ticketId);

  static HelpDeskTwins of(HelpDesk helpDesk, HelpDeskLinks links) {
    return ticketId -> {
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("kind", helpDesk.kind());
      Optional<HelpDeskLinks.Link> link = links.find(ticketId);
      String external = link.map(HelpDeskLinks.Link::externalId).orElse(null);
      view.put("externalId", external);
      view.put("url", external == null ? null : helpDesk.url(external));
      view.put("sync", link.map(HelpDeskLinks.Link::sync).orElse("PENDING"));
      link.map(HelpDeskLinks.Link::lastError).filter(e -> link.get().sync().equals("FAILED"))
          .ifPresent(e -> view.put("error", e));
      return Optional.of(view);
    };
  }
}
