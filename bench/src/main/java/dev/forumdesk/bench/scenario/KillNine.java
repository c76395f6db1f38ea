package dev.forumdesk.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.app.Forumdesk;
import dev.forumdesk.bench.BenchOptions;
import dev.forumdesk.bench.harness.BenchApp;
import dev.forumdesk.bench.harness.Ports;
import dev.forumdesk.bench.harness.UpdateStream;
import dev.forumdesk.bench.report.Progress;
import dev.forumdesk.bench.report.Row;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.SampleDesk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * kill -9 under load, as the issue names it: `Forumdesk run` in a child JVM holds K open tickets
 * and takes 200 updates/s, more than two cores process, so acknowledged updates pile up in its
 * inbox; at a backlog of {@code recoveryUpdates} the child gets SIGKILL while the load goes on
 * (Telegram's posts now fail, and Telegram would send them again). Then the same command starts
 * on the same data dir, Telegram's retries arrive, and the figure is the time until the inbox has
 * delivered everything. Every new topic that got a 200, before the kill or after, must be a ticket.
 */
public final class KillNine {
  private static final int RATE = BenchOptions.RATE;
  private static final String HOST = "forumdesk.bench.test";
  /** How long a quick run loads the app before the kill. */
  private static final Duration QUICK_LOAD = Duration.ofMillis(750);

  private final BenchOptions options;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final int port;
  private final URI base;

  public KillNine(BenchOptions options) {
    this.options = options;
    this.port = Ports.free();
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  public List<Row> run() {
    int k = options.recoveryOpenTickets();
    int target = options.recoveryUpdates();
    String figure = options.quick()
        ? String.format("recovery: kill -9 after %d ms of %d updates/s with %d open tickets → restart → backlog drained",
            QUICK_LOAD.toMillis(), RATE, k)
        : String.format("recovery: kill -9 under %d updates/s with %d open tickets and ~%d acknowledged"
            + " updates undelivered → restart → backlog drained", RATE, k, target);
    Process child = null;
    try (FakeTelegram telegram = new FakeTelegram(BenchApp.TOKEN)) {
      Path dir = Files.createTempDirectory("forumdesk-bench-kill9-");
      Files.writeString(dir.resolve("forumdesk.yaml"), BenchApp.desk(50));
      Map<String, String> env = SampleDesk.env(BenchApp.TOKEN, telegram.url(), BenchApp.SECRET, HOST, BenchApp.API_TOKEN,
          dir.resolve("forumdesk.yaml"), dir.resolve("data"));
      env.put("FORUMDESK_HTTP_PORT", String.valueOf(port));
      Path log = dir.resolve("child.log");

      child = start(env, log);
      awaitUp(child, log);
      UpdateStream stream = new UpdateStream(53, 12_000_000, 0.2);
      List<String> opening = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        opening.add(stream.newTopic());
      }
      Progress.say("kill -9: opening %d tickets in `Forumdesk run` (pid %d)", k, child.pid());
      Sent open = send(opening, 300, () -> false);
      if (open.acked() < k || await(() -> backlog() == 0, Duration.ofSeconds(k / 5 + 60)) < 0) {
        throw new IllegalStateException("the " + k + " tickets did not open: " + open.acked() + " acked; see " + log);
      }

      List<String> load = new ArrayList<>();
      for (int i = 0; i < RATE * 60; i++) {
        load.add(stream.next());
      }
      long[] killedAt = {0};
      long[] backlogAtKill = {0};
      Process victim = child;
      Thread killer = Thread.ofPlatform().name("kill-9").start(() -> {
        if (options.quick()) {
          // a smoke run: under a second of load piles up about a hundred (polling the health
          // endpoint overshot a small target by 2-3 times: the backlog grows fast at the start)
          LockSupport.parkNanos(QUICK_LOAD.toNanos());
        } else {
          await(() -> backlog() >= target, Duration.ofSeconds(50));
        }
        backlogAtKill[0] = backlog();
        victim.destroyForcibly(); // SIGKILL
        killedAt[0] = System.nanoTime();
      });
      Progress.say("kill -9: %d updates/s until %s, then SIGKILL", RATE,
          options.quick() ? QUICK_LOAD.toMillis() + " ms have passed" : "the inbox holds " + target + " undelivered");
      // Telegram keeps posting a moment after the kill; those posts fail and come again later
      long afterKill = options.quick() ? 300_000_000L : 1_000_000_000L;
      Sent during = send(load, RATE, () -> killedAt[0] != 0 && System.nanoTime() - killedAt[0] > afterKill);
      killer.join();
      child.waitFor(10, TimeUnit.SECONDS);
      int refused = during.count() - during.acked();
      Progress.say("kill -9: killed at a backlog of %d; %d of %d posts acknowledged, %d refused or cut off",
          backlogAtKill[0], during.acked(), during.count(), refused);

      long t0 = System.nanoTime();
      child = start(env, log);
      double up = awaitUp(child, log);
      // Telegram sends again whatever did not get a 200, oldest first
      List<String> retries = new ArrayList<>();
      List<Integer> retried = new ArrayList<>();
      for (int i = 0; i < during.count(); i++) {
        if (during.status(i) != 200) {
          retries.add(load.get(i));
          retried.add(i);
        }
      }
      Sent again = send(retries, RATE, () -> false);
      double retriesSent = (System.nanoTime() - t0) / 1e9;
      boolean[] acked = new boolean[during.count()];
      for (int i = 0; i < during.count(); i++) {
        acked[i] = during.status(i) == 200;
      }
      for (int j = 0; j < retried.size(); j++) {
        acked[retried.get(j)] = again.status(j) == 200;
      }
      if (await(() -> backlog() == 0, Duration.ofSeconds(180)) < 0) {
        throw new IllegalStateException("backlog " + backlog() + " not drained within 180 s; see " + log);
      }
      double drained = (System.nanoTime() - t0) / 1e9;

      List<String> topics = new ArrayList<>();
      for (int i = 0; i < during.count(); i++) {
        if (load.get(i).contains("forum_topic_created") && acked[i]) {
          topics.add(ticketIdOf(load.get(i)));
        }
      }
      long missing = await(() -> topics.stream().allMatch(this::exists), Duration.ofSeconds(60));
      double visible = (System.nanoTime() - t0) / 1e9;
      long lost = topics.stream().filter(id -> !exists(id)).count();
      Progress.say("kill -9: restart to HTTP up %.1f s, retries sent by %.1f s, backlog drained %.1f s, %d new topics"
          + " all tickets at %.1f s, %d lost", up, retriesSent, drained, topics.size(), visible, lost);
      return List.of(
          Row.report(figure, String.format("drained **%.1f s** after the restart (%d undelivered at the kill, then %d"
              + " retries of refused posts); HTTP up %.1f s", drained, backlogAtKill[0], retries.size(), up), "report"),
          Row.measured("↳ new topics acknowledged before or after the kill that are tickets",
              String.format("%d of %d (%d lost), all by %.1f s after the restart", topics.size() - lost, topics.size(), lost,
                  visible), "all", lost == 0 && missing >= 0 && again.acked() == retries.size()));
    } catch (Exception e) {
      return List.of(Row.failed(figure, "report", e));
    } finally {
      if (child != null) {
        child.destroyForcibly();
      }
    }
  }

  private record Sent(AtomicIntegerArray statuses, int count) {
    int status(int i) {
      return statuses.get(i);
    }

    int acked() {
      int n = 0;
      for (int i = 0; i < count; i++) {
        n += statuses.get(i) == 200 ? 1 : 0;
      }
      return n;
    }
  }

  /** Posts {@code updates} at {@code perSecond}, as Telegram does, until done or {@code stop}. */
  private Sent send(List<String> updates, int perSecond, java.util.function.BooleanSupplier stop) {
    AtomicIntegerArray statuses = new AtomicIntegerArray(updates.size());
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    long interval = 1_000_000_000L / perSecond;
    long start = System.nanoTime();
    int i = 0;
    for (; i < updates.size() && !stop.getAsBoolean(); i++) {
      LockSupport.parkNanos(start + i * interval - System.nanoTime());
      int index = i;
      HttpRequest post = BenchApp.webhookPost(base.resolve("/telegram/webhook"), BenchApp.SECRET, updates.get(i));
      inFlight.add(http.sendAsync(HttpRequest.newBuilder(post, (name, value) -> true).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding())
          .whenComplete((r, e) -> statuses.set(index, e == null ? r.statusCode() : -1)));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    return new Sent(statuses, i);
  }

  private Process start(Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(Forumdesk.class, List.of("run"), 0));
    pb.environment().putAll(env);
    pb.environment().put("FORUMDESK_TEMPORAL_PORT", String.valueOf(Ports.free()));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }

  /** @return seconds until the child answers HTTP */
  private double awaitUp(Process child, Path log) {
    long t0 = System.nanoTime();
    if (await(() -> {
      if (!child.isAlive()) {
        throw new IllegalStateException("the child exited with " + child.exitValue() + "; see " + log);
      }
      return get("/api/tickets?limit=1") == 200;
    }, Duration.ofSeconds(120)) < 0) {
      throw new IllegalStateException("the child did not answer within 120 s; see " + log);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private long backlog() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/observe/health"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return Json.mapper().readTree(r.body()).path("checks").path("inbox").path("backlog").asLong(-1);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private boolean exists(String ticketId) {
    return get("/api/tickets/" + ticketId) == 200;
  }

  private int get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + BenchApp.API_TOKEN)
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String ticketIdOf(String update) {
    JsonNode m = Json.read(update, JsonNode.class).path("message");
    return "ticket-" + m.path("chat").path("id").asLong() + "-" + m.path("message_thread_id").asLong();
  }

  /** @return millis it took, or -1 when {@code done} did not come within {@code atMost} */
  private static long await(java.util.function.BooleanSupplier done, Duration atMost) {
    return Idle.await(done, atMost, Duration.ofMillis(100));
  }

}
