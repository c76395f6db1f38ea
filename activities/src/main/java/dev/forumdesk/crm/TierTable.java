package dev.forumdesk.crm;

import java.util.Locale;
import java.util.Map;

/** The built-in tiers from config ({@code crm.tiers}: Telegram user id → tier), used without a CRM. */
public record TierTable(Map<Long, String> tiers, String defaultTier) {
  /**
   * A tier as it is compared everywhere: a CRM's "Gold" is the {@code gold} of
   * {@code routing.tier-factors} and {@code priority-tiers}.
   */
  public static String normal(String tier) {
    return tier.strip().toLowerCase(Locale.ROOT);
  }

  public CrmClient.Tier lookup(long userId, String why) {
    String t = tiers.get(userId);
    return t != null
        ? new CrmClient.Tier(t, "tier " + t + ": " + why + "built-in tier table")
        : new CrmClient.Tier(defaultTier, "tier " + defaultTier + ": " + why + "default tier");
  }
}
