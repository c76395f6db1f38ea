package dev.forumdesk.worker;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;

/**
 * Makes the embedded server's port safe for workers in other processes (a worker role whose
 * TEMPORAL_ADDRESS is another Forumdesk's embedded server): drops the {@code sticky_attributes} a
 * worker sends with each completed workflow task, so the server never routes that workflow's next
 * task to the worker's own sticky queue.
 *
 * <p>A Temporal cluster gives a sticky task a schedule-to-start timeout (5 s by default) and then
 * moves it to the normal task queue, so a worker that died costs a few seconds. Temporal's test
 * server, which we embed, has no such timeout: the task would wait on the dead worker's sticky
 * queue for ever, and the ticket would stop (audit 18a F1). Without stickiness every workflow
 * task goes to the normal queue with the full history and the SDK replays it, which any worker
 * of the queue can do. The worker in this JVM reaches the server in-process, not through this
 * interceptor, and keeps its sticky cache: it lives and dies with the server.
 */
final class NoStickyQueues implements ServerInterceptor {
  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        if (message instanceof RespondWorkflowTaskCompletedRequest completed && completed.hasStickyAttributes()) {
          super.onMessage((Q) completed.toBuilder().clearStickyAttributes().build());
        } else {
          super.onMessage(message);
        }
      }
    };
  }
}
