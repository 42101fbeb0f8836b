using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Classroom;

/// <summary>What the server calls on a hub client watching a room.</summary>
public interface IClusterClient
{
    /// <summary>The whole cluster at one moment: sent on join, and again if a slow client fell too far behind.</summary>
    Task Snapshot(RoomSnapshotDto snapshot);

    /// <summary>What happened since the last batch (one batch per pump publish, at most 30 a second).</summary>
    Task Events(EventBatchDto batch);

    /// <summary>The room was closed (idle, or the server is shutting down); no more batches follow.</summary>
    Task RoomClosed(string reason);
}
