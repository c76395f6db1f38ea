package dev.forumdesk.config;

import dev.forumdesk.shift.ShiftHours;
import java.util.List;

/** {@code shift}: the agent's working hours; {@link ShiftHours#ALWAYS} when none are configured. */
public record AgentConfig(
    long id,
    String name,
    String username,
    String team,
    List<String> languages,
    List<String> skills,
    int level,
    int maxOpen,
    ShiftHours shift) {

  /** An agent without shift hours: on shift unless /away. */
  public AgentConfig(long id, String name, String username, String team, List<String> languages,
      List<String> skills, int level, int maxOpen) {
    this(id, name, username, team, languages, skills, level, maxOpen, ShiftHours.ALWAYS);
  }
}
