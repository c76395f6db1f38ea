package dev.forumdesk.ticket;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

/**
 * How tickets' signals, updates, activity results and snapshots are written into histories:
 * Temporal's JSON, except that a field this code does not know is skipped, not an error. A newer
 * release adds fields (a refusal's kind, a policy flag); without this, rolling the worker back to
 * the release before could not read a single history the newer one wrote, and every open ticket
 * would fail its next workflow task until rolled forward again.
 */
public final class HistoryJson {
  private static final DataConverter CONVERTER = DefaultDataConverter.newDefaultInstance()
      .withPayloadConverterOverrides(new JacksonJsonPayloadConverter(
          JacksonJsonPayloadConverter.newDefaultObjectMapper()
              .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)));

  private HistoryJson() {}

  /** For every client and worker: the app's, the standalone worker's, the tests'. */
  public static DataConverter converter() {
    return CONVERTER;
  }
}
