package dev.forumdesk.bench.baseline;

import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.Classified;
import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.ingress.UpdateClassifier;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.Update;
import dev.forumdesk.worker.TemporalConnection;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;

/**
 * The naive design, for comparison only: a webhook that does the Temporal signalWithStart inside
 * the HTTP handler and answers only afterwards. No inbox, so nothing is durable before the 200
 * and a slow or absent Temporal makes Telegram wait (and retry).
 */
public final class SyncWebhook implements AutoCloseable {
  private final TemporalConnection temporal;
  private final WebServer server;

  public SyncWebhook(String temporalTarget, String taskQueue, ForumdeskConfig config) {
    this.temporal = new TemporalConnection(temporalTarget, "default");
    UpdateClassifier classifier = new UpdateClassifier(config, (chat, thread) -> java.util.Optional.empty());
    TicketGateway gateway = new TicketGateway(temporal.client(), config, taskQueue, false);
    this.server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .routing(r -> r.post("/telegram/webhook", (req, res) -> receive(req, res, classifier, gateway)))
            .build()
            .start();
  }

  private static void receive(ServerRequest req, ServerResponse res, UpdateClassifier classifier, TicketGateway gateway) {
    try {
      Update update = Json.mapper().readValue(req.content().as(String.class), Update.class);
      if (classifier.classify(update) instanceof Classified.ForTicket t) {
        gateway.deliver(t); // the product's own signalWithStart, but before the 200
      }
      res.send("{\"ok\":true}");
    } catch (Exception e) {
      res.status(503).send("{\"ok\":false}");
    }
  }

  public URI webhook() {
    return URI.create("http://127.0.0.1:" + server.port() + "/telegram/webhook");
  }

  @Override
  public void close() {
    server.stop();
    temporal.close();
  }
}
