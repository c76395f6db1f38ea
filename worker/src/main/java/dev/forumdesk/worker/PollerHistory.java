package dev.forumdesk.worker;

import com.google.protobuf.Timestamp;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pollers part of DescribeTaskQueue, which Temporal's Java test server does not implement
 * (UNIMPLEMENTED): as a cluster's matching service does, each poll request of a task queue is
 * recorded with the poller's identity when it arrives and again when it ends (its {@code
 * last_access_time}: an idle worker's long poll ends empty after up to 70 s here, a minute on a
 * cluster, and the next begins), and a poller is forgotten five minutes after its last poll. Built from the polls the embedded server really
 * receives, so a webhook role beside it sees whether a worker polls, as it would with a cluster.
 */
final class PollerHistory {
  /** A cluster's matching service drops a poller this long after its last poll. */
  static final Duration FORGOTTEN_AFTER = Duration.ofMinutes(5);

  private record Queue(String namespace, String name, TaskQueueType type) {}

  private final Map<Queue, Map<String, Instant>> polls = new ConcurrentHashMap<>();
  private final Clock clock;

  PollerHistory(Clock clock) {
    this.clock = clock;
  }

  /** The workflow service with its poll requests recorded and DescribeTaskQueue answered from them. */
  ServerServiceDefinition wrap(ServerServiceDefinition service) {
    if (!service.getServiceDescriptor().getName().equals(WorkflowServiceGrpc.SERVICE_NAME)) {
      return service;
    }
    String describe = WorkflowServiceGrpc.getDescribeTaskQueueMethod().getFullMethodName();
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getServiceDescriptor());
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      if (m.getMethodDescriptor().getFullMethodName().equals(describe)) {
        b.addMethod(WorkflowServiceGrpc.getDescribeTaskQueueMethod(), ServerCalls.asyncUnaryCall(this::describe));
      } else {
        b.addMethod(m);
      }
    }
    return ServerInterceptors.intercept(b.build(), new Recorder());
  }

  private void polled(String namespace, String taskQueue, TaskQueueType type, String identity) {
    polls.computeIfAbsent(new Queue(namespace, taskQueue, type), q -> new ConcurrentHashMap<>())
        .put(identity, clock.instant());
  }

  private void describe(DescribeTaskQueueRequest request, StreamObserver<DescribeTaskQueueResponse> response) {
    TaskQueueType type = request.getTaskQueueType() == TaskQueueType.TASK_QUEUE_TYPE_UNSPECIFIED
        ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : request.getTaskQueueType();
    Instant forgotten = clock.instant().minus(FORGOTTEN_AFTER);
    Map<String, Instant> seen = polls.getOrDefault(
        new Queue(request.getNamespace(), request.getTaskQueue().getName(), type), Map.of());
    seen.values().removeIf(t -> t.isBefore(forgotten));
    List<PollerInfo> pollers = seen.entrySet().stream()
        .map(e -> PollerInfo.newBuilder().setIdentity(e.getKey()).setLastAccessTime(timestamp(e.getValue())).build())
        .toList();
    response.onNext(DescribeTaskQueueResponse.newBuilder().addAllPollers(pollers).build());
    response.onCompleted();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  /** Notes the poll requests as they arrive (before the long poll waits for a task) and end. */
  private final class Recorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      Runnable[] ended = {() -> { }};
      ServerCall<Q, R> noted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          ended[0].run();
          super.close(status, trailers);
        }
      };
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(noted, headers)) {
        @Override
        public void onMessage(Q message) {
          Runnable poll = switch (message) {
            case PollWorkflowTaskQueueRequest p -> () -> polled(p.getNamespace(), p.getTaskQueue().getName(),
                TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, p.getIdentity());
            case PollActivityTaskQueueRequest p -> () -> polled(p.getNamespace(), p.getTaskQueue().getName(),
                TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, p.getIdentity());
            default -> null;
          };
          if (poll != null) {
            poll.run();
            ended[0] = poll;
          }
          super.onMessage(message);
        }
      };
    }
  }
}
