package dev.forumdesk.ingress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The address a webhook request really came from. X-Forwarded-For is believed only when the
 * direct peer is a configured trusted proxy (anyone else could forge it to slip past the
 * allow-list); then the right-most hop that is not itself a trusted proxy is the client.
 */
public final class SourceAddress {
  private final CidrAllowList trustedProxies;

  public SourceAddress(CidrAllowList trustedProxies) {
    this.trustedProxies = trustedProxies;
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
