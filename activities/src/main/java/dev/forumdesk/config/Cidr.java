package dev.forumdesk.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * One network written as an address with an optional prefix ({@code 149.154.160.0/20}, {@code ::1}),
 * read from a list whose key a typo is reported under: {@code TELEGRAM_ALLOWED_CIDRS} or
 * {@code webhook.trusted-proxies}. {@code *} in such a list means every source.
 */
public record Cidr(byte[] address, int prefix) {
  public static final String ANY = "*";

  /**
   * Every entry of a list read as a network, so a typo stops the start with the other config errors.
   *
   * @throws ConfigException naming the key and the entry
   */
  public static List<String> checked(String key, List<String> cidrs) {
    cidrs.stream().filter(c -> !c.equals(ANY)).forEach(c -> parse(key, c));
    return List.copyOf(cidrs);
  }

  /** @throws ConfigException naming the key and the entry */
  public static Cidr parse(String key, String cidr) {
    String[] parts = cidr.split("/", -1);
    try {
      // only literal addresses: getByName on a literal does no DNS lookup
      if (parts.length > 2 || !parts[0].matches("[0-9a-fA-F:.]+")) {
        throw new UnknownHostException(parts[0]);
      }
      byte[] address = InetAddress.getByName(parts[0]).getAddress();
      int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : address.length * 8;
      if (prefix < 0 || prefix > address.length * 8) {
        throw new NumberFormatException();
      }
      return new Cidr(address, prefix);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new ConfigException(key + ": '" + cidr + "' is not a network like 10.0.0.0/8 or ::1");
    }
  }

  public boolean contains(byte[] ip) {
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
