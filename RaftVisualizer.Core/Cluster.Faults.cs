namespace RaftVisualizer.Core;

/// <summary>What a user can do to servers and the network. Bad requests are refused with why; nothing throws.</summary>
public sealed partial class Cluster
{
    public ActionResult Crash(NodeId id)
    {
        if (Slot(id) is not { } slot) return NoSuchNode(id);
        if (slot.Node is null) return ActionResult.Refused($"{id} is already down.");
        slot.Node = null;
        slot.ElectionGeneration++;
        slot.ElectionDeadline = null;
        slot.ElectionQueuedAt = null;
        slot.HeartbeatGeneration++;
        Record(new ClusterCommand.Crash(id));
        Emit(new NodeCrashed(Now, id));
        return ActionResult.Done($"{id} crashed: it keeps its term, vote and log, and loses everything else.");
    }

    public ActionResult Restart(NodeId id)
    {
        if (Slot(id) is not { } slot) return NoSuchNode(id);
        if (slot.Node is not null) return ActionResult.Refused($"{id} is already up.");
        if (Options.Broken.HasFlag(BrokenRules.ForgetVotedForOnRestart)) slot.Durable.VotedFor = null;
        Record(new ClusterCommand.Restart(id));
        Emit(new NodeRestarted(Now, id, slot.Durable.CurrentTerm, slot.Durable.Log.LastIndex));
        StartNode(slot, "it restarted from its durable state");
        return ActionResult.Done($"{id} restarted with term {slot.Durable.CurrentTerm} and {slot.Durable.Log.LastIndex} log entries.");
    }

    /// <summary>Makes the node's election timer fire now, as if it had heard nothing.</summary>
    public ActionResult ForceTimeout(NodeId id)
    {
        if (Slot(id) is not { } slot) return NoSuchNode(id);
        if (slot.Node is not { } node) return ActionResult.Refused($"{id} is down.");
        if (node.Role == NodeRole.Leader) return ActionResult.Refused($"{id} is the leader; a leader has no election timer.");
        Record(new ClusterCommand.ForceTimeout(id));
        node.OnElectionTimeout(Now);
        return ActionResult.Done($"{id} timed out.");
    }

    public ActionResult Partition(params IEnumerable<NodeId>[] groups) => Network.Partition(groups);

    /// <summary>Cuts one node off from all the others.</summary>
    public ActionResult Isolate(NodeId id) =>
        Slot(id) is null ? NoSuchNode(id) : Network.Partition(new[] { id }, _slots.Select(s => s.Id).Where(n => n != id));

    public ActionResult Heal() => Network.Heal();

    private ActionResult NoSuchNode(NodeId id) =>
        ActionResult.Refused($"There is no node {id}: this cluster has S1 to S{_slots.Length}.");
}
