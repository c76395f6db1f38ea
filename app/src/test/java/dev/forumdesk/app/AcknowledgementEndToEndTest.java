package dev.forumdesk.app;

import static dev.forumdesk.telegram.UpdateJson.now;
import static dev.forumdesk.app.AppFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.telegram.UpdateJson;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Audit 8, F18: the Spanish customer of ticket 103 read "Thanks, we got your request …". Through
 * the real webhook, Temporal, database and fake Telegram: the acknowledgement in the topic speaks
 * the customer's language, detected from what they wrote (Russian, which the desk serves), or
 * their Telegram's (Spanish, which no agent speaks, so detection over the desk's languages cannot
 * see it).
 */
class AcknowledgementEndToEndTest {
  @RegisterExtension final AppFixture f = AppFixture.perTest(AppFixture.CONFIG);


  private String ackIn(long thread) {
    Awaitility.await("the acknowledgement in topic " + thread).atMost(Duration.ofSeconds(20))
        .until(() -> f.telegram.textsIn(thread).stream().anyMatch(x -> x.contains("#" + thread)));
    return f.telegram.textsIn(thread).stream().filter(x -> x.contains("#" + thread)).findFirst().orElseThrow();
  }

  @Test
  void theAcknowledgementSpeaksTheCustomersLanguage() throws Exception {
    f.postUpdate(UpdateJson.topicCreated(1, CHAT, 103, new UpdateJson.Sender(5103, "Lucía", null, "es"),
        "Pago duplicado", now()));
    f.postUpdate(UpdateJson.topicCreated(2, CHAT, 104, new UpdateJson.Sender(5104, "Иван", null, "en"),
        "Не могу оплатить счёт за декабрь", now()));

    assertThat(ackIn(103)).startsWith("Gracias, hemos recibido tu solicitud").contains("El ticket #103 está en la cola");
    assertThat(ackIn(104)).startsWith("Спасибо, мы получили ваш запрос").contains("Заявка #104 в очереди");
  }
}
