package dev.forumdesk.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GcPausesTest {
  @Test
  void countsTheCollectionsWhileRecordingAndNoneAfter() throws Exception {
    GcPauses pauses = GcPauses.record();
    System.gc();
    // the JVM reports collections from its service thread, a moment later
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (pauses.summary().startsWith("no collection") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    pauses.close();
    String recorded = pauses.summary();
    assertThat(recorded).matches("\\d+ collections?, \\d+ ms in all \\(\\d+\\.\\d % of \\d+\\.\\d s\\), median \\d+ ms, max \\d+ ms");

    System.gc();
    Thread.sleep(200);
    assertThat(pauses.summary()).as("closed: a later collection is not counted").isEqualTo(recorded);
  }
}
