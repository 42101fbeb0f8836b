using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core;

public sealed partial class Cluster
{
    /// <summary>Copies the current state into an immutable frame (what views read; a timeline can rebuild any past one).</summary>
    public ClusterFrame Frame()
    {
        var config = Configuration;
        var nodes = Nodes.Select(n => new NodeFrame(n.Id, n.IsUp, n.Role, n.Term, n.VotedFor, n.Log.ToArray(), n.CommitIndex,
            n.LastApplied, new Dictionary<string, string>(n.Kv), n.KnownLeader, n.ElectionDeadline,
            n.VotesReceived.OrderBy(v => v).ToArray(), new Dictionary<NodeId, long>(n.NextIndex), new Dictionary<NodeId, long>(n.MatchIndex))
        {
            Membership = config.IsVoter(n.Id) ? Membership.Voter : config.IsLearner(n.Id) ? Membership.Learner : Membership.Removed,
            Config = n.Config,
            Snapshot = n.Snapshot,
            SnapshotIndex = n.SnapshotIndex,
        }).ToArray();
        return new(Now, Steps, Options, Leader, nodes,
            InFlightNow(), Network.Groups, Network.Cuts.OrderBy(c => c.From).ThenBy(c => c.To).ToArray(),
            Network.MinLatency, Network.MaxLatency, Network.LossRate, Safety.Violations.ToArray())
        {
            Links = Network.LinkSettings,
            Configuration = config,
            Rules = _rules.Copy(),
        };
    }
}
