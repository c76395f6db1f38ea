package dev.forumdesk.worker;

import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Field;

/**
 * Reflective access to the fields of Temporal's test server that its API does not expose, for the
 * workarounds that keep a long-running embedded server small ({@link TimeLockLog},
 * {@link ClosedExecutions}). Each caller decides what a missing field means.
 */
final class TestServerInternals {
  private TestServerInternals() {}

  /** {@code type}'s own field {@code name}, made accessible. */
  static Field field(Class<?> type, String name) throws ReflectiveOperationException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }

  /** The value of {@code owner}'s field {@code name}, declared by its own class. */
  static Object get(Object owner, String name) throws ReflectiveOperationException {
    return field(owner.getClass(), name).get(owner);
  }

  /** The server's clock and timer queue ({@code SelfAdvancingTimerImpl}). */
  static Object timer(TestServicesStarter services) throws ReflectiveOperationException {
    return field(TestServicesStarter.class, "selfAdvancingTimer").get(services);
  }

  /** The server's one workflow service ({@code TestWorkflowService}). */
  static Object workflowService(TestServicesStarter services) throws ReflectiveOperationException {
    return field(TestServicesStarter.class, "workflowService").get(services);
  }

  /** The server's history store ({@code TestWorkflowStoreImpl}). */
  static Object workflowStore(TestServicesStarter services) throws ReflectiveOperationException {
    return field(TestServicesStarter.class, "workflowStore").get(services);
  }
}
