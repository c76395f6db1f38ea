package dev.forumdesk.ingress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The address a webhook request really came from. X-Forwarded-For is believed only when the
 * direct peer is a configured trusted proxy (anyone else could forge it to slip past the
 * allow-list); then the right-most hop that is not itself a trusted proxy is the client. Several
 * X-Forwarded-For field lines are one list, their values joined with commas in order (RFC 9110
 * 5.3): a proxy that adds a line of its own after the client's puts the real hop last.
 */
public final class SourceAddress {
  private final CidrAllowList trustedProxies;

  public SourceAddress(CidrAllowList trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  /**
   * @param forwardedFor the request's X-Forwarded-For field lines, in the order received (none: empty)
   * @return empty when a trusted proxy sent a forwarded-for entry that is not an IP literal
   */
  public Optional<InetAddress> of(InetAddress peer, List<String> forwardedFor) {
    return of(peer, forwardedFor.isEmpty() ? Optional.empty() : Optional.of(String.join(",", forwardedFor)));
  }

  /** @return empty when a trusted proxy sent a forwarded-for entry that is not an IP literal */
  public Optional<InetAddress> of(InetAddress peer, Optional<String> forwardedFor) {
    if (forwardedFor.isEmpty() || !trustedProxies.allows(peer)) {
      return Optional.of(peer);
    }
    List<String> hops = List.of(forwardedFor.get().split(","));
    InetAddress client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = literal(hops.get(i).strip());
      if (hop.isEmpty()) {
        return Optional.empty();
      }
      client = hop.get();
      if (!trustedProxies.allows(client)) {
        break;
      }
    }
    return Optional.of(client);
  }

  private static Optional<InetAddress> literal(String text) {
    // only literal addresses: getByName on a literal does no DNS lookup
    if (text.isEmpty() || text.length() > 45 || !text.matches("[0-9a-fA-F:.]+")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
