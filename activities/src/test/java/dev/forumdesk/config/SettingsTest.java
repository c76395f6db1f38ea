package dev.forumdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A wrong environment variable stops the start with one line naming it, not a stack trace. */
class SettingsTest {
  @Test
  void anHttpPortOutOfRangeNamesTheVariable() {
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("FORUMDESK_HTTP_PORT", "99999")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("FORUMDESK_HTTP_PORT must be a port number");
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("FORUMDESK_HTTP_PORT", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("FORUMDESK_HTTP_PORT must be a port number");
    assertThat(Settings.fromEnv(Map.of("FORUMDESK_HTTP_PORT", "0")).httpPort()).as("0: any free port").isZero();
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("FORUMDESK_HTTP_PORT", "123456:AAE-pasted-token")))
        .as("the value is not echoed: the redaction knows no secrets yet")
        .hasMessageNotContaining("123456");
  }

  @Test
  void aTemporalPortThatIsNotAPortNamesTheVariable() {
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("FORUMDESK_TEMPORAL_PORT", "abc")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("FORUMDESK_TEMPORAL_PORT must be a port number");
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("FORUMDESK_TEMPORAL_PORT", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("FORUMDESK_TEMPORAL_PORT must be a port number");
    assertThat(Settings.fromEnv(Map.of()).temporalPort()).isEqualTo(7233);
    assertThat(Settings.fromEnv(Map.of("FORUMDESK_TEMPORAL_PORT", " 7300 ")).temporalPort()).isEqualTo(7300);
  }

  @Test
  void telegramUrlsAreHttpUrlsNamedButNotEchoedAndEmptyVariablesAreAbsent() {
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("TELEGRAM_API_URL", "not a url/bot123456:AAE-token")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("TELEGRAM_API_URL must be an http(s) URL such as https://api.telegram.org");
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("TELEGRAM_WEBHOOK_URL", "http://desk.example.com/telegram/webhook")))
        .as("Telegram takes https webhooks only")
        .hasMessage("TELEGRAM_WEBHOOK_URL must be an https URL such as https://desk.example.com/telegram/webhook");
    Settings empty = Settings.fromEnv(Map.of("TELEGRAM_API_URL", "", "TELEGRAM_ALLOWED_CIDRS", " "));
    assertThat(empty.telegramApiUrl()).isEqualTo("https://api.telegram.org");
    assertThat(empty.allowedCidrs()).as("empty denied every source").contains("149.154.160.0/20");
  }

  @Test
  void allowedCidrsAreCheckedWithTheOtherVariables() {
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("TELEGRAM_ALLOWED_CIDRS", "149.154.160.0/20, 1.2.3.4/99")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("TELEGRAM_ALLOWED_CIDRS: '1.2.3.4/99' is not a network like 10.0.0.0/8 or ::1");
    assertThat(Settings.fromEnv(Map.of("TELEGRAM_ALLOWED_CIDRS", "*")).allowedCidrs()).containsExactly("*");
  }

  /** As the Temporal CLI: a host without a port is the frontend's usual 7233. */
  @Test
  void temporalAddressGetsTheDefaultPortAndAWrongOneNamesTheVariable() {
    assertThat(Settings.fromEnv(Map.of("TEMPORAL_ADDRESS", "temporal")).temporalAddress()).contains("temporal:7233");
    assertThat(Settings.fromEnv(Map.of("TEMPORAL_ADDRESS", " temporal:7300 ")).temporalAddress()).contains("temporal:7300");
    assertThat(Settings.fromEnv(Map.of("TEMPORAL_ADDRESS", "[::1]")).temporalAddress()).contains("[::1]:7233");
    assertThat(Settings.fromEnv(Map.of("TEMPORAL_ADDRESS", "dns:///temporal:7233")).temporalAddress())
        .as("a gRPC target URI is taken as written").contains("dns:///temporal:7233");
    assertThat(Settings.fromEnv(Map.of("TEMPORAL_ADDRESS", "")).temporalAddress()).isEmpty();
    for (String wrong : List.of("temporal:http", "temporal:70000", "temporal:", ":7233", "::1:7233", "tem poral:7233")) {
      assertThatThrownBy(() -> Settings.fromEnv(Map.of("TEMPORAL_ADDRESS", wrong))).as(wrong)
          .isInstanceOf(ConfigException.class)
          .hasMessage("TEMPORAL_ADDRESS must be host:port of a Temporal frontend such as temporal:7233"
              + " ([::1]:7233 for an IPv6 address; the port defaults to 7233), not '" + wrong + "'");
    }
  }
}
