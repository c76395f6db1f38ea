package dev.forumdesk.bench.scenario;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Threads for work that runs beside a measurement. Not the common ForkJoin pool: on two cores it
 * has one thread, and a long background task there would silently delay the next one.
 */
final class Background {
  static final ExecutorService EXECUTOR = Executors.newVirtualThreadPerTaskExecutor();

  private Background() {}
}
