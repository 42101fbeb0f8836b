using RaftVisualizer.Core.Commands;

namespace RaftVisualizer.Core;

/// <summary>Adding and removing servers, one at a time, through the leader's log. Refused with why; nothing throws.</summary>
public sealed partial class Cluster
{
    /// <summary>
    /// Starts the next server (S<c>n+1</c>) empty and has the leader add it as a learner; the
    /// leader promotes it to voter once it has caught up. Refused when there is no leader, nine
    /// servers exist, another server is still a learner, or a change is still uncommitted.
    /// </summary>
    public ActionResult AddServer()
    {
        if (_slots.Count >= Configuration.MaxServers)
            return ActionResult.Refused($"A cluster has at most {Configuration.MaxServers} servers, and S1 to S{_slots.Count} have all been used.");
        if (LeaderSlot()?.Node is not { } leader)
            return ActionResult.Refused("There is no leader to add a server through: a configuration change goes through the leader's log. Wait until one is elected.");
        var id = new NodeId(_slots.Count + 1);
        if (leader.Config.Learners.FirstOrDefault() is { Value: > 0 } learner)
            return ActionResult.Refused($"{learner} is still catching up as a learner: add the next server once it votes (one change at a time).");
        if (leader.ProposeChange(leader.Config.WithLearner(id), Now) is { } refusal) return ActionResult.Refused(refusal);

        var slot = NodeSlot.Create(id, _rootRandom.Fork(), Options.ClockDrift);
        _slots.Add(slot);
        _views.Add(new NodeView(slot, this));
        Network.AddNode(id, leader.Id);
        Record(new ClusterCommand.AddServer());
        Emit(new ServerAdded(Now, id));
        StartNode(slot, "it joined the cluster with an empty log");
        return ActionResult.Done($"{id} joins as a learner: {leader.Id} sends it the log, then makes it a voter.");
    }

    /// <summary>
    /// Has the leader append a configuration without <paramref name="id"/>. A removed leader
    /// leads until that entry commits, then steps down. Refused for an unknown id, a server that
    /// is not a member, the last voter, with no leader, or while a change is uncommitted.
    /// </summary>
    public ActionResult RemoveServer(NodeId id)
    {
        if (Slot(id) is null) return NoSuchNode(id);
        if (LeaderSlot()?.Node is not { } leader)
            return ActionResult.Refused("There is no leader to remove a server through: a configuration change goes through the leader's log. Wait until one is elected.");
        var config = leader.Config;
        if (!config.Contains(id)) return ActionResult.Refused($"{id} is not a member of the cluster ({config}).");
        if (config.Voters is [var only] && only == id) return ActionResult.Refused($"{id} is the last voter: a cluster needs at least one.");
        if (leader.ProposeChange(config.Without(id), Now) is { } refusal) return ActionResult.Refused(refusal);
        Record(new ClusterCommand.RemoveServer(id));
        return ActionResult.Done(id == leader.Id
            ? $"{id} proposes a configuration without itself: it leads until that entry commits, then steps down."
            : $"{leader.Id} proposes a configuration without {id}; it takes effect as soon as it is in each log.");
    }
}
