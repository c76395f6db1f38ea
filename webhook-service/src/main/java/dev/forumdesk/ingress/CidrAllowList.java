package dev.forumdesk.ingress;

import dev.forumdesk.config.Cidr;
import dev.forumdesk.config.Settings;
import java.net.InetAddress;
import java.util.List;

/** Source networks allowed to POST the webhook (TELEGRAM_ALLOWED_CIDRS); "*" allows all. */
public final class CidrAllowList {
  private final List<Cidr> networks;
  private final boolean any;

  /** The networks of TELEGRAM_ALLOWED_CIDRS. */
  public CidrAllowList(List<String> cidrs) {
    this(Settings.ALLOWED_CIDRS, cidrs);
  }

  /**
   * @param key what a wrong entry is reported under (the config checks its lists before the start:
   *     this only repeats the check)
   */
  public CidrAllowList(String key, List<String> cidrs) {
    this.any = cidrs.contains(Cidr.ANY);
    this.networks = any ? List.of() : cidrs.stream().map(c -> Cidr.parse(key, c)).toList();
  }

  public boolean allows(InetAddress source) {
    if (any) {
      return true;
    }
    byte[] ip = source.getAddress();
    return networks.stream().anyMatch(n -> n.contains(ip));
  }
}
