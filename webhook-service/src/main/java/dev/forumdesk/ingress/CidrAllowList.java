package dev.forumdesk.ingress;

import dev.forumdesk.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Source networks allowed to POST the webhook (TELEGRAM_ALLOWED_CIDRS); "*" allows all. */
public final class CidrAllowList {
  private record Network(byte[] address, int prefix) {
    boolean contains(byte[] ip) {
      if (ip.length != address.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (ip[i] != address[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (ip[full] & mask) == (address[full] & mask);
    }
  }

  private final List<Network> networks;
  private final boolean any;

  public CidrAllowList(List<String> cidrs) {
    this.any = cidrs.contains("*");
    this.networks = any ? List.of() : cidrs.stream().map(CidrAllowList::parse).toList();
  }

  private static Network parse(String cidr) {
    String[] parts = cidr.split("/");
    try {
      // only literal addresses: getByName on a literal does no DNS lookup
      if (!parts[0].matches("[0-9a-fA-F:.]+")) {
        throw new UnknownHostException(parts[0]);
      }
      byte[] address = InetAddress.getByName(parts[0]).getAddress();
      int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : address.length * 8;
      if (prefix < 0 || prefix > address.length * 8) {
        throw new NumberFormatException();
      }
      return new Network(address, prefix);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new ConfigException("TELEGRAM_ALLOWED_CIDRS: '" + cidr + "' is not a network like 149.154.160.0/20");
    }
  }

  public boolean allows(InetAddress source) {
    if (any) {
      return true;
    }
    byte[] ip = source.getAddress();
    return networks.stream().anyMatch(n -> n.contains(ip));
  }
}
