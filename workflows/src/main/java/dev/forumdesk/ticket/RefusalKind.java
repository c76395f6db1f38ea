package dev.forumdesk.ticket;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * Why a command was turned down: who asked ({@code FORBIDDEN}, 403), what was asked ({@code INVALID},
 * 400) or the ticket's state ({@code CONFLICT}, 409, maybe later). The bot answers all three alike
 * in the topic; the API tells them apart.
 */
public enum RefusalKind {
  /** The actor's role: not staff, not the assignee, not a supervisor. */
  FORBIDDEN(Forbidden.class, Forbidden::new),
  /** The request itself: an unknown command, priority or agent, a missing argument. */
  INVALID(Invalid.class, Invalid::new),
  /** The ticket's state: already resolved, not on hold, already at Level 2, already theirs. */
  CONFLICT(Conflict.class, Conflict::new);

  private final Class<? extends IllegalArgumentException> exception;
  private final Function<String, IllegalArgumentException> make;

  RefusalKind(Class<? extends IllegalArgumentException> exception, Function<String, IllegalArgumentException> make) {
    this.exception = exception;
    this.make = make;
  }

  /**
   * What the update validator throws. Its class name is the ApplicationFailure type the client
   * sees, the only part of a validator's exception besides the message that reaches it.
   */
  public IllegalArgumentException exception(String reason) {
    return make.apply(reason);
  }

  /**
   * The kind behind a rejected update's ApplicationFailure type, or empty when it is no refusal.
   * A plain IllegalArgumentException is a CONFLICT: what a validator from before the kinds threw.
   */
  public static Optional<RefusalKind> ofFailureType(String type) {
    if (IllegalArgumentException.class.getName().equals(type)) {
      return Optional.of(CONFLICT);
    }
    return Arrays.stream(values()).filter(k -> k.exception.getName().equals(type)).findFirst();
  }

  /** A refusal reported without a kind (a reply recorded before the kinds) is a CONFLICT, as it was answered then. */
  public static RefusalKind orConflict(RefusalKind kind) {
    return kind == null ? CONFLICT : kind;
  }

  private static final class Forbidden extends IllegalArgumentException {
    Forbidden(String reason) {
      super(reason);
    }
  }

  private static final class Invalid extends IllegalArgumentException {
    Invalid(String reason) {
      super(reason);
    }
  }

  private static final class Conflict extends IllegalArgumentException {
    Conflict(String reason) {
      super(reason);
    }
  }
}
