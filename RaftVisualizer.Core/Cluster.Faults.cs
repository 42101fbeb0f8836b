using RaftVisualizer.Core.Commands;

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
        if (!node.IsVoter)
            return ActionResult.Refused(node.Config.IsLearner(id)
                ? $"{id} is a learner: it does not vote, so it cannot stand for election until it is promoted."
                : $"{id} is not in the configuration it knows of ({node.Config}): it cannot stand for election.");
        if (Options.GuardsVotes && node.HeardFromLeaderRecently())
            return ActionResult.Refused($"{id} heard from leader {node.LeaderId?.ToString() ?? "(unknown)"} (or restarted) within the minimum election timeout: " +
                "with the vote guard on (it protects lease reads), it may not start an election yet. Transfer leadership to it instead.");
        Record(new ClusterCommand.ForceTimeout(id));
        node.OnElectionTimeout(Now);
        return ActionResult.Done($"{id} timed out.");
    }

    /// <summary>
    /// Asks the leader to hand leadership to <paramref name="to"/> (thesis section 3.10): it stops
    /// taking client requests, brings <paramref name="to"/> up to date and sends it TimeoutNow; it
    /// gives up after an election timeout. Refused with why when there is no leader, the node does
    /// not exist or is down, or it already leads.
    /// </summary>
    public ActionResult TransferLeadership(NodeId to)
    {
        if (Slot(to) is not { } target) return NoSuchNode(to);
        if (Leader is not { } leaderId || Slot(leaderId)?.Node is not { } leader)
            return ActionResult.Refused("There is no leader to hand leadership over: wait until one is elected.");
        if (leaderId == to) return ActionResult.Refused($"{to} is already the leader.");
        if (target.Node is null) return ActionResult.Refused($"{to} is down: a leader can hand leadership only to a server that is up.");
        if (leader.TransferTarget is { } busy) return ActionResult.Refused($"{leaderId} is already handing leadership to {busy}.");
        if (leader.TransferLeadership(to, Now) is { } refusal) return ActionResult.Refused(refusal);
        Record(new ClusterCommand.TransferLeadership(to));
        return ActionResult.Done($"{leaderId} hands leadership to {to}: it brings {to} up to date, then sends it TimeoutNow.");
    }

    public ActionResult Partition(params IEnumerable<NodeId>[] groups) => Network.Partition(groups);

    /// <summary>Cuts one node off from all the others.</summary>
    public ActionResult Isolate(NodeId id) =>
        Slot(id) is null ? NoSuchNode(id) : Network.Partition(new[] { id }, _slots.Select(s => s.Id).Where(n => n != id));

    public ActionResult Heal() => Network.Heal();

    private ActionResult NoSuchNode(NodeId id) =>
        ActionResult.Refused($"There is no node {id}: this cluster has S1 to S{_slots.Count}.");
}
