package dev.forumdesk.config;

import dev.forumdesk.shift.ShiftHours;
import io.helidon.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shift hours from the YAML: {@code agents[].shift: {zone, hours}} for one agent,
 * {@code team-shifts: {<team>: {zone, hours}}} for a team's agents without their own, and
 * {@code shift: always} to opt an agent out of their team's hours. A bad value fails the load
 * naming the agent (or team) and the value.
 */
final class ShiftConfig {
  private final Map<String, ShiftHours> teams;

  private ShiftConfig(Map<String, ShiftHours> teams) {
    this.teams = teams;
  }

  static ShiftConfig read(Config root) {
    Map<String, ShiftHours> teams = new LinkedHashMap<>();
    for (Config team : root.get("team-shifts").asNodeList().orElse(List.of())) {
      hours(team, "team-shifts." + team.name()).ifPresent(h -> teams.put(team.name(), h));
    }
    return new ShiftConfig(teams);
  }

  /** The agent's own hours, else their team's, else always. */
  ShiftHours forAgent(Config agent, String who, String team) {
    return hours(agent.get("shift"), "agents[" + who + "].shift")
        .orElseGet(() -> teams.getOrDefault(team, ShiftHours.ALWAYS));
  }

  private static Optional<ShiftHours> hours(Config node, String key) {
    if (!node.exists()) {
      return Optional.empty();
    }
    if (node.isLeaf()) {
      String v = node.asString().orElse("");
      if (v.equals("always")) {
        return Optional.of(ShiftHours.ALWAYS);
      }
      throw new ConfigException(key + ": '" + v + "' must be 'always' or {zone: Europe/Berlin, hours: \"Mon-Fri 09:00-18:00\"}");
    }
    String zone = node.get("zone").asString().orElse("");
    List<String> hours = node.get("hours").asList(String.class)
        .orElseGet(() -> node.get("hours").asString().map(List::of).orElse(List.of()));
    try {
      return Optional.of(ShiftHours.parse(zone, hours));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": " + e.getMessage());
    }
  }
}
