package dev.forumdesk.worker;

import dev.forumdesk.ticket.HistoryJson;
import io.grpc.ManagedChannel;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.concurrent.TimeUnit;

/** A client connection to a Temporal frontend (embedded or a cluster). */
public final class TemporalConnection implements AutoCloseable {
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final String namespace;

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
    this.namespace = namespace;
    this.client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).setDataConverter(HistoryJson.converter()).build());
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

  /**
   * The pollers Temporal saw on the task queue lately (DescribeTaskQueue: identity and the start
   * of each one's last poll; a cluster forgets a poller five minutes after it); throws when the
   * frontend does not answer or cannot describe task queues (UNIMPLEMENTED).
   */
  public java.util.List<io.temporal.api.taskqueue.v1.PollerInfo> pollers(String taskQueue,
      io.temporal.api.enums.v1.TaskQueueType type) {
    return stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
        .describeTaskQueue(io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest.newBuilder()
            .setNamespace(namespace)
            .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(taskQueue)
                .setKind(io.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
            .setTaskQueueType(type)
            .build())
        .getPollersList();
  }

  /**
   * Which of {@code names} the namespace has no custom search attribute for; empty when the server
   * cannot list them (Temporal's Java test server has no operator service); throws when the
   * frontend does not answer. A workflow that sets an unregistered one fails every workflow task.
   */
  public java.util.Optional<java.util.Set<String>> missingSearchAttributes(java.util.Collection<String> names) {
    // the workflow stubs' options (metrics scope and all) over their channel, which they keep owning
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder(stubs.getOptions()).setChannel(stubs.getRawChannel()).build());
    java.util.Map<String, ?> registered;
    try {
      registered = operator.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap();
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED) {
        return java.util.Optional.empty();
      }
      throw e;
    }
    java.util.Set<String> missing = new java.util.TreeSet<>(names);
    missing.removeAll(registered.keySet());
    return java.util.Optional.of(missing);
  }

  @Override
  public void close() {
    stubs.shutdownNow();
  }
}
