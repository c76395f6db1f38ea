package dev.forumdesk.config;

import java.util.List;

public record AgentConfig(
    long id,
    String name,
    String username,
    String team,
    List<String> languages,
    List<String> skills,
    int level,
    int maxOpen) {}
