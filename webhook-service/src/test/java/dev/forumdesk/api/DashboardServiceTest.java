package dev.forumdesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Audit 21a F6: the dashboard's Content-Security-Policy allowed inline script ('unsafe-inline'), so it would
 * not have stopped one an escaping bug let in, and the page could be framed (clickjacking of its buttons).
 */
class DashboardServiceTest {
  WebServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    server = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.register("/", new DashboardService()))
        .build().start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static List<String> directive(String csp, String name) {
    return Arrays.stream(csp.split(";")).map(String::strip).filter(d -> d.startsWith(name + " "))
        .map(d -> d.substring(name.length() + 1)).flatMap(v -> Arrays.stream(v.split(" "))).toList();
  }

  @Test
  void thePolicyAllowsNoInlineScriptAndNoFraming() throws Exception {
    HttpResponse<String> page = get("/?token=t");
    assertThat(page.statusCode()).isEqualTo(200);
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(directive(csp, "script-src")).as(csp).containsExactly("'self'");
    assertThat(directive(csp, "default-src")).as(csp).containsExactly("'self'");
    assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    assertThat(directive(csp, "frame-ancestors")).as(csp).containsExactly("'none'");
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).as("a ?token= never leaves in a Referer").contains("no-referrer");
  }

  @Test
  void thePageHoldsNoInlineScriptOrStyleAndItsFilesAreServed() throws Exception {
    Document doc = Jsoup.parse(get("/").body());
    assertThat(doc.select("script")).isNotEmpty().allSatisfy(s -> {
      assertThat(s.attr("src")).isNotEmpty();
      assertThat(s.data()).isBlank();
    });
    assertThat(doc.select("style")).isEmpty();
    assertThat(doc.getAllElements()).allSatisfy((Element e) -> assertThat(e.attributes().asList())
        .noneMatch(a -> a.getKey().startsWith("on") || a.getKey().equals("style")
            || a.getValue().strip().toLowerCase().startsWith("javascript:")));
    HttpResponse<String> js = get("/dashboard.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    assertThat(js.body()).contains("sessionStorage");
    HttpResponse<String> css = get("/dashboard.css");
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    assertThat(js.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
  }
}
