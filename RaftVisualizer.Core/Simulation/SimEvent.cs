namespace RaftVisualizer.Core.Simulation;

internal enum SimEventKind { Deliver, ElectionTimer, HeartbeatTimer, ClientArrive, ClientReplyArrive, ClientAttemptTimeout, ClientRetry, ClientDeadline }

/// <summary>One scheduled happening. Node and Generation let a stale timer be recognised and skipped.</summary>
internal readonly record struct SimEvent(SimEventKind Kind, NodeId Node, long Generation, object? Payload);
