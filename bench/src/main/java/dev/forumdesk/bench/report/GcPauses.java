package dev.forumdesk.bench.report;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The collections of this JVM while a figure runs: the app under test runs here, and a
 * stop-the-world pause stops its webhook with everything else, so a latency figure's tail is read
 * beside them. Durations are the collectors' own (GcInfo), whole collections; under Serial and
 * Parallel every collection is a pause, under G1 and ZGC most of the time is concurrent.
 */
public final class GcPauses implements AutoCloseable {
  private final ConcurrentLinkedQueue<Long> millis = new ConcurrentLinkedQueue<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::collected;
  private final long startNanos = System.nanoTime();
  private volatile long endNanos;

  private GcPauses() {}

  /** Starts recording; {@link #close()} stops. */
  public static GcPauses record() {
    GcPauses pauses = new GcPauses();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(pauses.listener, null, null);
        pauses.emitters.add(emitter);
      }
    }
    return pauses;
  }

  private void collected(Notification n, Object handback) {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      millis.add(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo().getDuration());
    }
  }

  /** e.g. "31 collections, 2,140 ms in all (5.3 % of 40.2 s), median 66 ms, max 140 ms" */
  public String summary() {
    long end = endNanos == 0 ? System.nanoTime() : endNanos;
    List<Long> sorted = millis.stream().sorted().toList();
    double seconds = (end - startNanos) / 1e9;
    long total = sorted.stream().mapToLong(Long::longValue).sum();
    if (sorted.isEmpty()) {
      return String.format(Locale.ROOT, "no collection in %.1f s", seconds);
    }
    return String.format(Locale.ROOT, "%d %s, %d ms in all (%.1f %% of %.1f s), median %d ms, max %d ms",
        sorted.size(), sorted.size() == 1 ? "collection" : "collections", total, 100.0 * total / (seconds * 1000), seconds, sorted.get(sorted.size() / 2), sorted.getLast());
  }

  @Override
  public void close() {
    endNanos = System.nanoTime();
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // never added: nothing to stop
      }
    }
  }
}
