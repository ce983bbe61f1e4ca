package org.weft.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One message of the protocol. On the wire each is an object whose {@code op} field names its
 * record (the name in {@link JsonSubTypes} below); a frame holds a batch of them in order.
 * A message with an op this version does not know is a protocol error (see {@link Codec}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Handshake.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = Handshake.Welcome.class, name = "welcome"),
        @JsonSubTypes.Type(value = Handshake.Refused.class, name = "refused"),
        @JsonSubTypes.Type(value = Handshake.Error.class, name = "error"),
        @JsonSubTypes.Type(value = SchedulerMessage.ComputeTask.class, name = "compute-task"),
        @JsonSubTypes.Type(value = SchedulerMessage.FreeKeys.class, name = "free-keys"),
        @JsonSubTypes.Type(value = SchedulerMessage.StealRequest.class, name = "steal-request"),
        @JsonSubTypes.Type(value = SchedulerMessage.AcquireReplicas.class, name = "acquire-replicas"),
        @JsonSubTypes.Type(value = SchedulerMessage.RestartWorker.class, name = "restart-worker"),
        @JsonSubTypes.Type(value = SchedulerMessage.CloseWorker.class, name = "close-worker"),
        @JsonSubTypes.Type(value = SchedulerMessage.KeyInMemory.class, name = "key-in-memory"),
        @JsonSubTypes.Type(value = SchedulerMessage.KeyErred.class, name = "key-erred"),
        @JsonSubTypes.Type(value = SchedulerMessage.KeyForgotten.class, name = "key-forgotten"),
        @JsonSubTypes.Type(value = SchedulerMessage.KeyCancelled.class, name = "key-cancelled"),
        @JsonSubTypes.Type(value = SchedulerMessage.TopicEvent.class, name = "topic-event"),
        @JsonSubTypes.Type(value = SchedulerMessage.Reply.class, name = "reply"),
        @JsonSubTypes.Type(value = SchedulerMessage.Ask.class, name = "ask"),
        @JsonSubTypes.Type(value = WorkerMessage.TaskFinished.class, name = "task-finished"),
        @JsonSubTypes.Type(value = WorkerMessage.TaskErred.class, name = "task-erred"),
        @JsonSubTypes.Type(value = WorkerMessage.MissingData.class, name = "missing-data"),
        @JsonSubTypes.Type(value = WorkerMessage.StealResponse.class, name = "steal-response"),
        @JsonSubTypes.Type(value = WorkerMessage.LongRunning.class, name = "long-running"),
        @JsonSubTypes.Type(value = WorkerMessage.Heartbeat.class, name = "heartbeat"),
        @JsonSubTypes.Type(value = WorkerMessage.Answer.class, name = "answer"),
        @JsonSubTypes.Type(value = WorkerMessage.Retire.class, name = "retire"),
        @JsonSubTypes.Type(value = ClientMessage.UpdateGraph.class, name = "update-graph"),
        @JsonSubTypes.Type(value = ClientMessage.ReleaseKeys.class, name = "release-keys"),
        @JsonSubTypes.Type(value = ClientMessage.Call.class, name = "call"),
        @JsonSubTypes.Type(value = DataMessage.GetData.class, name = "get-data"),
        @JsonSubTypes.Type(value = DataMessage.Data.class, name = "data"),
        @JsonSubTypes.Type(value = BundleMessage.InstallBundle.class, name = "install-bundle"),
        @JsonSubTypes.Type(value = BundleMessage.UninstallBundle.class, name = "uninstall-bundle"),
        @JsonSubTypes.Type(value = BundleMessage.DepotSync.class, name = "depot-sync"),
        @JsonSubTypes.Type(value = BundleMessage.BundleState.class, name = "bundle-state"),
})
public sealed interface Message permits Handshake, SchedulerMessage, WorkerMessage, ClientMessage, DataMessage,
        BundleMessage {
}
