package dev.forumdesk.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {
  @Test
  void openTicketsCanBeSizedAndChildJvmsParseTheSameSizes() {
    BenchOptions o = BenchOptions.parse(new String[] {"--quick", "--only", "open", "--open-tickets", "2000"});
    assertThat(o.openTickets()).isEqualTo(2000);
    assertThat(BenchOptions.parse(o.childArgs().toArray(String[]::new)).openTickets()).isEqualTo(2000);
    assertThat(BenchOptions.parse(o.childArgs().toArray(String[]::new)).quick()).isTrue();
    assertThat(BenchOptions.parse(new String[] {}).openTickets()).isEqualTo(10_000);
    assertThat(BenchOptions.parse(new String[] {"--quick"}).openTickets()).isEqualTo(100);
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--open-tickets", "many"}))
        .hasMessageContaining("--open-tickets needs a count");
  }

  @Test
  void theAckRateIsTheIssues200UnlessAnotherIsGiven() {
    assertThat(BenchOptions.parse(new String[] {"--quick"}).ackRate()).isEqualTo(BenchOptions.RATE);
    assertThat(BenchOptions.parse(new String[] {"--quick", "--only", "ack", "--ack-rate", "80"}).ackRate()).isEqualTo(80);
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--ack-rate", "0"}))
        .hasMessageContaining("--ack-rate needs a count");
  }

  @Test
  void theProductionShapeRunsOnlyWhenNamed() {
    assertThat(BenchOptions.parse(new String[] {"--quick"}).runs("shape")).isFalse();
    assertThat(BenchOptions.parse(new String[] {"--quick"}).runs("ack")).isTrue();
    assertThat(BenchOptions.parse(new String[] {"--only", "shape"}).runs("shape")).isTrue();
    assertThat(BenchOptions.parse(new String[] {"--only", "shape"}).runs("ack")).isFalse();
  }

  @Test
  void theWebhookAloneAndClosedTicketsRunInAFullRunAndInAQuickOneWhenNamed() {
    assertThat(BenchOptions.parse(new String[] {}).runs("ingress")).isTrue();
    assertThat(BenchOptions.parse(new String[] {"--quick"}).runs("ingress")).isFalse();
    assertThat(BenchOptions.parse(new String[] {"--quick", "--only", "ingress"}).runs("ingress")).isTrue();
    assertThat(BenchOptions.parse(new String[] {}).runs("closed")).isTrue();
    assertThat(BenchOptions.parse(new String[] {"--quick"}).runs("closed")).isFalse();
  }
}
