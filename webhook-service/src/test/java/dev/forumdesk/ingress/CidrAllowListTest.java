package dev.forumdesk.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.config.ConfigException;
import dev.forumdesk.config.Settings;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CidrAllowListTest {
  private final CidrAllowList defaults = new CidrAllowList(Arrays.asList(Settings.DEFAULT_CIDRS.split(",")));

  @ParameterizedTest
  @CsvSource({
    "149.154.160.1, true", "149.154.175.255, true", "149.154.176.0, false", "91.108.4.7, true",
    "91.108.8.0, false", "127.0.0.1, true", "10.0.0.1, false", "::1, true", "::2, false"
  })
  void telegramNetworksAndLoopbackAreAllowed(String ip, boolean allowed) throws Exception {
    assertThat(defaults.allows(InetAddress.getByName(ip))).isEqualTo(allowed);
  }

  @Test
  void starAllowsEverything() throws Exception {
    assertThat(new CidrAllowList(List.of("*")).allows(InetAddress.getByName("8.8.8.8"))).isTrue();
  }

  @Test
  void aTypoIsRefusedWithTheOffendingEntry() {
    assertThatThrownBy(() -> new CidrAllowList(List.of("149.154.160.0/33")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("149.154.160.0/33");
    assertThatThrownBy(() -> new CidrAllowList(List.of("telegram.org/20")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("telegram.org/20");
  }
}
