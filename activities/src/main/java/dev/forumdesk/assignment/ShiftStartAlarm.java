package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the waiting line when an agent's shift starts: sleeps until the next start among the
 * configured agents (looking again at least every minute, so a config reload is noticed), then
 * tells {@link CapacityFreed} whose shift began.
 */
public final class ShiftStartAlarm implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShiftStartAlarm.class);
  static final Duration LOOK_AGAIN = Duration.ofMinutes(1);

  /** The next instant at which some shifts start, and whose. */
  record Next(Instant at, List<String> agents) {}

  private final Supplier<List<AgentConfig>> agents;
  private final Clock clock;
  private final CapacityFreed capacity;
  private Optional<Next> armed = Optional.empty();
  private volatile Thread thread;

  public ShiftStartAlarm(Supplier<List<AgentConfig>> agents, Clock clock, CapacityFreed capacity) {
    this.agents = agents;
    this.clock = clock;
    this.capacity = capacity;
  }

  /** The earliest shift start strictly after {@code now} among the agents, with everyone starting then. */
  static Optional<Next> next(List<AgentConfig> agents, Instant now) {
    Optional<Instant> at = agents.stream().map(a -> a.shift().nextStart(now)).flatMap(Optional::stream)
        .min(Instant::compareTo);
    return at.map(t -> new Next(t, agents.stream()
        .filter(a -> a.shift().nextStart(now).filter(t::equals).isPresent())
        .map(AgentConfig::name)
        .collect(Collectors.toList())));
  }

  /**
   * One look at the clock: rings for the armed start once it has come, arms the next one.
   * @return how long to sleep before looking again
   */
  synchronized Duration check() {
    Instant now = clock.instant();
    if (armed.isPresent() && !now.isBefore(armed.get().at())) {
      capacity.freed(String.join(", ", armed.get().agents()) + (armed.get().agents().size() == 1 ? "'s shift" : " shifts")
          + " started");
    }
    armed = next(agents.get(), now);
    Duration untilNext = armed.map(n -> Duration.between(now, n.at())).orElse(LOOK_AGAIN);
    return untilNext.compareTo(LOOK_AGAIN) < 0 ? untilNext : LOOK_AGAIN;
  }

  public ShiftStartAlarm start() {
    thread = Thread.ofVirtual().name("shift-start-alarm").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(check());
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          log.warn("shift start alarm: {}", e.toString());
          try {
            Thread.sleep(LOOK_AGAIN);
          } catch (InterruptedException stop) {
            return;
          }
        }
      }
    });
    return this;
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
    }
  }
}
