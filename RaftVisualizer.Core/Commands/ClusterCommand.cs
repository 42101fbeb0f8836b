using System.Text.Json.Serialization;

namespace RaftVisualizer.Core.Commands;

/// <summary>
/// One user action as data: what a view sends instead of a lambda over the live cluster, what a
/// scenario records, and what a timeline re-applies. <see cref="Apply"/> carries it out through
/// the cluster's own method, which records it, so a direct call and a command are recorded alike.
/// Refused actions (a node that does not exist, a node already down) are not recorded.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Crash), "crash")]
[JsonDerivedType(typeof(Restart), "restart")]
[JsonDerivedType(typeof(ForceTimeout), "forceTimeout")]
[JsonDerivedType(typeof(Partition), "partition")]
[JsonDerivedType(typeof(Heal), "heal")]
[JsonDerivedType(typeof(Cut), "cut")]
[JsonDerivedType(typeof(SetLatency), "setLatency")]
[JsonDerivedType(typeof(SetLinkLatency), "setLinkLatency")]
[JsonDerivedType(typeof(SetLoss), "setLoss")]
[JsonDerivedType(typeof(SetDuplication), "setDuplication")]
[JsonDerivedType(typeof(Submit), "submit")]
[JsonDerivedType(typeof(TransferLeadership), "transferLeadership")]
[JsonDerivedType(typeof(SetLinkLoss), "setLinkLoss")]
[JsonDerivedType(typeof(Uncut), "uncut")]
[JsonDerivedType(typeof(DropMessage), "dropMessage")]
[JsonDerivedType(typeof(DuplicateMessage), "duplicateMessage")]
[JsonDerivedType(typeof(AddServer), "addServer")]
[JsonDerivedType(typeof(RemoveServer), "removeServer")]
public abstract record ClusterCommand
{
    private protected ClusterCommand() { }

    /// <summary>Carries the action out on <paramref name="cluster"/> now; refused with why rather than throwing.</summary>
    public abstract ActionResult Apply(Cluster cluster);

    public sealed record Crash(NodeId Node) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.Crash(Node);
        public override string ToString() => $"crash {Node}";
    }

    public sealed record Restart(NodeId Node) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.Restart(Node);
        public override string ToString() => $"restart {Node}";
    }

    public sealed record ForceTimeout(NodeId Node) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.ForceTimeout(Node);
        public override string ToString() => $"force timeout {Node}";
    }

    /// <summary>Groups that cannot reach each other; nodes named in no group stand alone.</summary>
    public sealed record Partition(IReadOnlyList<IReadOnlyList<NodeId>> Groups) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.Partition(Groups.Select(g => (IEnumerable<NodeId>)g).ToArray());
        public override string ToString() => $"partition {string.Join(" | ", Groups.Select(g => string.Join(" ", g)))}";

        public bool Equals(Partition? other) =>
            other is not null && Groups.Count == other.Groups.Count && Groups.Zip(other.Groups).All(p => p.First.SequenceEqual(p.Second));

        public override int GetHashCode() => Groups.Count;
    }

    /// <summary>Restores every link: no partitions, no cuts, no per-link latency.</summary>
    public sealed record Heal : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.Heal();
        public override string ToString() => "heal";
    }

    /// <summary>Cuts the one-way link from <paramref name="From"/> to <paramref name="To"/>.</summary>
    public sealed record Cut(NodeId From, NodeId To) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.Network.Cut(From, To);
        public override string ToString() => $"cut {From}→{To}";
    }

    public sealed record SetLatency(TimeSpan Min, TimeSpan Max) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.Network.SetLatency(Min, Max);
        public override string ToString() => $"latency {Min.TotalMilliseconds}–{Max.TotalMilliseconds} ms";
    }

    public sealed record SetLinkLatency(NodeId From, NodeId To, TimeSpan Min, TimeSpan Max) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.Network.SetLatency(From, To, Min, Max);
        public override string ToString() => $"latency {From}→{To} {Min.TotalMilliseconds}–{Max.TotalMilliseconds} ms";
    }

    /// <summary>The chance that a message is lost, 0 to 1 (clamped).</summary>
    public sealed record SetLoss(double Rate) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster)
        {
            cluster.Network.LossRate = Rate;
            return ActionResult.Done($"Loss set to {cluster.Network.LossRate:P0}.");
        }

        public override string ToString() => $"loss {Rate:P0}";
    }

    /// <summary>The chance that a message is delivered twice, 0 to 1 (clamped).</summary>
    public sealed record SetDuplication(double Rate) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster)
        {
            cluster.Network.DuplicateRate = Rate;
            return ActionResult.Done($"Duplication set to {cluster.Network.DuplicateRate:P0}.");
        }

        public override string ToString() => $"duplication {Rate:P0}";
    }

    /// <summary>The chance, 0 to 1, that the one-way link loses a message, on top of the network's loss.</summary>
    public sealed record SetLinkLoss(NodeId From, NodeId To, double Rate) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.Network.SetLoss(From, To, Rate);
        public override string ToString() => $"loss {From}→{To} {Rate:P0}";
    }

    /// <summary>Restores the one-way link from <paramref name="From"/> to <paramref name="To"/> after a cut.</summary>
    public sealed record Uncut(NodeId From, NodeId To) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.Network.Uncut(From, To);
        public override string ToString() => $"restore {From}→{To}";
    }

    /// <summary>One message in flight (by its id) never arrives.</summary>
    public sealed record DropMessage(long Message) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.DropMessage(Message);
        public override string ToString() => $"drop message {Message}";
    }

    /// <summary>One message in flight (by its id) is delivered twice.</summary>
    public sealed record DuplicateMessage(long Message) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.DuplicateMessage(Message);
        public override string ToString() => $"duplicate message {Message}";
    }

    /// <summary>The leader hands leadership to <paramref name="To"/> (TimeoutNow); refused when there is no leader or it cannot.</summary>
    public sealed record TransferLeadership(NodeId To) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.TransferLeadership(To);
        public override string ToString() => $"transfer leadership to {To}";
    }

    /// <summary>A new server (the next free id) joins as a learner, is caught up, then becomes a voter.</summary>
    public sealed record AddServer : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.AddServer();
        public override string ToString() => "add server";
    }

    /// <summary>A configuration entry without <paramref name="Node"/>; a removed leader steps down once it commits.</summary>
    public sealed record RemoveServer(NodeId Node) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster) => cluster.RemoveServer(Node);
        public override string ToString() => $"remove {Node}";
    }

    /// <summary>A client operation through <paramref name="Via"/> (or a server the client picks); bad input is answered as rejected.</summary>
    public sealed record Submit(KvCommand Command, NodeId? Via = null, TimeSpan? Timeout = null) : ClusterCommand
    {
        public override ActionResult Apply(Cluster cluster)
        {
            var op = cluster.Submit(Command, Via, Timeout);
            var result = op.Result is { Status: KvStatus.Rejected } rejected
                ? ActionResult.Refused(rejected.Message ?? "Rejected.")
                : ActionResult.Done($"Submitted {op.Command} as operation #{op.Id}.");
            return result with { OperationId = op.Id };
        }

        public override string ToString() => Via is { } via ? $"submit {Command} via {via}" : $"submit {Command}";
    }
}

/// <summary>
/// A gesture: one click on the page that the cluster carries out through its primitive methods
/// (isolate a server, cut a link both ways, ...). Only the primitives record themselves, so a
/// gesture never appears in a scenario and is never serialized; replaying the primitives gives
/// the same run. In the past it runs on the cursor's moment (the leader there, the nodes there).
/// </summary>
public abstract record ClusterGesture : ClusterCommand
{
    private protected ClusterGesture() { }

    /// <summary>Cuts <paramref name="Node"/> off from every other server (a partition of it alone and the rest).</summary>
    public sealed record Isolate(NodeId Node) : ClusterGesture
    {
        public override ActionResult Apply(Cluster cluster) => cluster.Isolate(Node);
        public override string ToString() => $"isolate {Node}";
    }

    /// <summary>Isolates whichever server leads at this moment; refused while there is none.</summary>
    public sealed record IsolateLeader : ClusterGesture
    {
        public override ActionResult Apply(Cluster cluster) => cluster.Leader is { } leader
            ? cluster.Isolate(leader)
            : ActionResult.Refused("There is no leader to isolate right now: wait for an election to finish.");

        public override string ToString() => "isolate the leader";
    }

    /// <summary>The leader (if any) and the fewest others needed for a minority on one side, a majority on the other.</summary>
    public sealed record SplitMajority : ClusterGesture
    {
        public override ActionResult Apply(Cluster cluster)
        {
            var ids = cluster.Nodes.Select(n => n.Id).ToList();
            if (ids.Count < 2) return ActionResult.Refused("A single server cannot be split.");
            var minoritySize = Math.Max(1, (ids.Count - 1) / 2);
            var minority = new List<NodeId>();
            if (cluster.Leader is { } leader) minority.Add(leader);
            foreach (var id in ids.AsEnumerable().Reverse())
                if (minority.Count < minoritySize && !minority.Contains(id)) minority.Add(id);
            return cluster.Partition(ids.Where(id => !minority.Contains(id)), minority);
        }

        public override string ToString() => "split majority | minority";
    }

    /// <summary>Cuts (or, with <paramref name="Restore"/>, restores) both directions of the link between <paramref name="A"/> and <paramref name="B"/>.</summary>
    public sealed record CutBothWays(NodeId A, NodeId B, bool Restore = false) : ClusterGesture
    {
        public override ActionResult Apply(Cluster cluster)
        {
            var network = cluster.Network;
            var first = Restore ? network.Uncut(A, B) : network.Cut(A, B);
            var second = Restore ? network.Uncut(B, A) : network.Cut(B, A);
            return first.Ok || second.Ok
                ? ActionResult.Done(Restore ? $"{A} and {B} can reach each other again." : $"{A} and {B} can no longer reach each other.")
                : first;
        }

        public override string ToString() => Restore ? $"restore {A}⟷{B}" : $"cut {A}⟷{B}";
    }

    /// <summary>Gives both directions of the link between <paramref name="A"/> and <paramref name="B"/> their own latency and loss (0 to 1).</summary>
    public sealed record SetLinkBothWays(NodeId A, NodeId B, TimeSpan Min, TimeSpan Max, double Loss) : ClusterGesture
    {
        public override ActionResult Apply(Cluster cluster)
        {
            foreach (var (from, to) in new[] { (A, B), (B, A) })
            {
                var r = cluster.Network.SetLatency(from, to, Min, Max);
                if (!r.Ok) return r;
                r = cluster.Network.SetLoss(from, to, Loss);
                if (!r.Ok) return r;
            }
            return ActionResult.Done($"{A}⟷{B}: latency {Min.TotalMilliseconds:0}–{Max.TotalMilliseconds:0} ms, loss {Loss:P0} each way.");
        }

        public override string ToString() => $"link {A}⟷{B} {Min.TotalMilliseconds:0}–{Max.TotalMilliseconds:0} ms, loss {Loss:P0}";
    }
}

/// <summary>A command as recorded: the number of simulation steps taken before it, and the simulated time it was applied at.</summary>
public sealed record TimedCommand(long Step, TimeSpan At, ClusterCommand Command)
{
    public override string ToString() => $"step {Step} at {At.TotalMilliseconds:0.###} ms: {Command}";
}
