package dev.forumdesk.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.POST;

/**
 * A help desk that made the ticket but whose kept-alive connection ended before the answer: OkHttp
 * takes that for a stale pooled connection and, left to itself, sends the request again, past the
 * twin lookup that guards our own retries. Calls marked {@link SendOnce} go out once.
 */
class SendOnceTest {
  interface Api {
    @GET("me")
    Call<JsonNode> me();

    @SendOnce
    @POST("tickets")
    Call<JsonNode> create(@Body Map<String, Object> ticket);

    @POST("tickets/search")
    Call<JsonNode> search(@Body Map<String, Object> query);
  }

  final MockWebServer desk = new MockWebServer();
  Api api;

  @BeforeEach
  void start() throws Exception {
    desk.start();
    api = HelpDeskHttp.api(Api.class, desk.url("/api/").toString(), "Token x", Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    desk.close();
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  /** The answer to the request on the kept-alive connection never leaves: the connection closes. */
  private static MockResponse hangUp() {
    return ok("{\"id\":1}").newBuilder().onResponseStart(new SocketEffect.CloseSocket(true, false, false)).build();
  }

  @Test
  void aCreateWhoseConnectionEndsBeforeTheAnswerIsNotSentAgain() throws Exception {
    desk.enqueue(ok("{\"id\":0}"));
    desk.enqueue(hangUp());
    desk.enqueue(ok("{\"id\":2}"));

    assertThat(api.me().execute().body().path("id").asInt()).isZero();
    assertThatThrownBy(() -> HelpDeskHttp.execute(api.create(Map.of("title", "refund")), "RT", "x", "creating"))
        .isInstanceOf(HelpDeskException.class).hasMessageContaining("RT unreachable");

    assertThat(desk.getRequestCount()).as("the create went out once").isEqualTo(2);
  }

  @Test
  void aReadIsStillRepeatedOnAFreshConnection() throws Exception {
    desk.enqueue(ok("{\"id\":0}"));
    desk.enqueue(hangUp());
    desk.enqueue(ok("{\"found\":[]}"));

    assertThat(api.me().execute().body().path("id").asInt()).isZero();
    assertThat(api.search(Map.of("query", "x")).execute().body().has("found")).isTrue();
    assertThat(desk.getRequestCount()).isEqualTo(3);
  }
}
