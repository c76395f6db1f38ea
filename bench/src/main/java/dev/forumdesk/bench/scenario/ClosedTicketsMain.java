package dev.forumdesk.bench.scenario;

/** The closed-tickets figure in a JVM of its own: its heap is that one app's. */
public final class ClosedTicketsMain {
  private ClosedTicketsMain() {}

  public static void main(String[] args) {
    ChildJvm.serve(args, (options, driver) -> new ClosedTickets(options, driver).run());
  }
}
