package dev.forumdesk.worker;

import io.grpc.ManagedChannel;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.concurrent.TimeUnit;

/** A client connection to a Temporal frontend (embedded or a cluster). */
public final class TemporalConnection implements AutoCloseable {
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  /** A cluster's frontend, or the embedded server's port, at host:port. */
  public TemporalConnection(String target, String namespace) {
    this(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build(), namespace);
  }

  /** A channel someone else owns and closes: the embedded server's in-process one. */
  public TemporalConnection(ManagedChannel channel, String namespace) {
    this(WorkflowServiceStubsOptions.newBuilder().setChannel(channel).build(), namespace);
  }

  private TemporalConnection(WorkflowServiceStubsOptions options, String namespace) {
    this.stubs = WorkflowServiceStubs.newServiceStubs(options);
    this.client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  public WorkflowClient client() {
    return client;
  }

  /**
   * A cheap round trip to the frontend, for /observe/health. GetSystemInfo rather than the gRPC
   * health service, which the embedded test server does not serve.
   */
  public boolean healthy() {
    try {
      stubs
          .blockingStub()
          .withDeadlineAfter(2, TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    stubs.shutdownNow();
  }
}
