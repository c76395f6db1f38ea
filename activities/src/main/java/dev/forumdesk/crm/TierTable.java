package dev.forumdesk.crm;

import java.util.Map;

/** The built-in tiers from config ({@code crm.tiers}: Telegram user id → tier), used without a CRM. */
public record TierTable(Map<Long, String> tiers, String defaultTier) {
  public CrmClient.Tier lookup(long userId, String why) {
    String t = tiers.get(userId);
    return t != null
        ? new CrmClient.Tier(t, "tier " + t + ": " + why + "built-in tier table")
        : new CrmClient.Tier(defaultTier, "tier " + defaultTier + ": " + why + "default tier");
  }
}
