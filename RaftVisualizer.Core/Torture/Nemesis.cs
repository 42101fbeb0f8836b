using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core.Torture;

/// <summary>What the nemesis did, when, in words a student can follow.</summary>
public sealed record NemesisStep(TimeSpan At, Fault Fault, string Description)
{
    public override string ToString() => $"{At.TotalMilliseconds,7:0} ms  {Description}";
}

/// <summary>
/// Draws a random fault schedule from a seed and inflicts it on a cluster through the cluster's
/// public actions only, so every fault is recorded in the cluster's scenario and replays exactly.
/// </summary>
public sealed class Nemesis
{
    private readonly Cluster _cluster;
    private readonly SimRandom _random;
    private readonly (Fault Fault, int Weight)[] _weights;
    private readonly int _totalWeight;
    private readonly List<NemesisStep> _log = new();
    private (NodeId Node, long Term, TimeSpan Since)? _newestLeader;
    private readonly Figure8Hunter? _hunter;

    /// <summary>A leader younger than this counts as new for <see cref="Fault.CrashNewLeader"/>.</summary>
    public static readonly TimeSpan NewLeaderAge = TimeSpan.FromMilliseconds(80);

    public Nemesis(Cluster cluster, SimRandom random, NemesisProfile profile)
    {
        _cluster = cluster;
        _random = random;
        Profile = profile;
        _weights = profile.Weights.Where(w => w.Value > 0).OrderBy(w => w.Key).Select(w => (w.Key, w.Value)).ToArray();
        _totalWeight = _weights.Sum(w => w.Weight);
        cluster.EventRaised += Watch;
        if (profile.Mode == NemesisMode.Figure8) _hunter = new Figure8Hunter(cluster, random.Fork());
    }

    public NemesisProfile Profile { get; }

    /// <summary>The leader to crash at once: set by a reaction to the event stream, carried out by <see cref="React"/>.</summary>
    public NodeId? PendingReaction { get; private set; }

    private void Watch(ClusterEvent e)
    {
        switch (e)
        {
            case RoleChanged { Role: NodeRole.Leader } r:
                _newestLeader = (r.Node, r.Term, r.Time);
                break;
            case CommitAdvanced c when Enabled && PendingReaction is null && _cluster.Node(c.Node) is { Role: NodeRole.Leader }
                && (_hunter?.WaitingForCommitOf(c.Node) == true || (Profile.CrashLeaderOnCommitChance > 0 && _random.Chance(Profile.CrashLeaderOnCommitChance))):
                PendingReaction = c.Node;
                break;
        }
    }

    /// <summary>Reactions happen only while this is on (during the chaos, not while healing).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Carries out the pending reaction, if any: crash the leader that just committed.</summary>
    public NemesisStep? React()
    {
        if (PendingReaction is not { } leader) return null;
        PendingReaction = null;
        var node = _cluster.Node(leader);
        if (node is not { IsUp: true, Role: NodeRole.Leader }) return null;
        var commit = node.CommitIndex;
        var entryTerm = commit >= 1 ? node.Log[(int)commit - 1].Term : 0;
        var term = node.Term;
        _cluster.Crash(leader);
        var step = new NemesisStep(_cluster.Now, Fault.CrashLeaderOnCommit,
            $"crash the leader {leader} (term {term}) the instant it committed up to entry {commit} (of term {entryTerm})");
        _log.Add(step);
        if (_hunter?.WaitingForCommitOf(leader) == true) Note(Fault.RestartNode, _hunter.CrashedOnCommit());
        return step;
    }
    /// <summary>Every fault so far, in order.</summary>
    public IReadOnlyList<NemesisStep> Log => _log;

    /// <summary>Every server the cluster has had, removed ones too (they may still run, and the network still reaches them).</summary>
    private NodeId[] All => _cluster.Nodes.Select(n => n.Id).ToArray();
    private NodeId[] Up => _cluster.Nodes.Where(n => n.IsUp).Select(n => n.Id).ToArray();
    private NodeId[] Down => _cluster.Nodes.Where(n => !n.IsUp).Select(n => n.Id).ToArray();
    /// <summary>Voters and learners of the cluster's configuration now (every server when membership never changed).</summary>
    private NodeId[] Members => _cluster.Configuration.Members.ToArray();
    private NodeId[] UpVoters
    {
        get
        {
            var config = _cluster.Configuration;
            return _cluster.Nodes.Where(n => n.IsUp && config.IsVoter(n.Id)).Select(n => n.Id).ToArray();
        }
    }

    /// <summary>The pause before the next fault.</summary>
    public TimeSpan NextInterval() => _random.NextDuration(Profile.MinInterval, Profile.MaxInterval);

    /// <summary>Draws one fault and inflicts it. A fault that does not apply now (no leader to isolate) is redrawn.</summary>
    public NemesisStep? Act()
    {
        if (_hunter is not null)
        {
            if (_hunter.Step() is not { } move) return null;
            var hunted = new NemesisStep(_cluster.Now, Fault.CrashNewLeader, move);
            _log.Add(hunted);
            return hunted;
        }
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var fault = Draw();
            if (Inflict(fault) is { } description)
            {
                var step = new NemesisStep(_cluster.Now, fault, description);
                _log.Add(step);
                return step;
            }
        }
        return null;
    }

    /// <summary>The pause before the next membership change (only with <see cref="NemesisProfile.ChurnInterval"/>).</summary>
    public TimeSpan NextChurnInterval() => Profile.ChurnInterval is var (min, max) ? _random.NextDuration(min, max) : TimeSpan.MaxValue;

    /// <summary>
    /// One membership change, drawn from <see cref="NemesisProfile.ChurnWeights"/>: add a server, remove a
    /// member or remove the leader. A refusal is accepted and logged as one (nothing was recorded).
    /// </summary>
    public NemesisStep? Churn()
    {
        var pick = _random.Next(NemesisProfile.ChurnWeights.Values.Sum());
        foreach (var (fault, weight) in NemesisProfile.ChurnWeights.OrderBy(w => w.Key))
        {
            if (pick >= weight) { pick -= weight; continue; }
            if (Inflict(fault) is not { } description) return null;
            var step = new NemesisStep(_cluster.Now, fault, description);
            _log.Add(step);
            return step;
        }
        return null;
    }

    /// <summary>Undoes everything: every link back, the calm network, every crashed server restarted.</summary>
    public void HealAll()
    {
        Note(Fault.Heal, Heal());
        Note(Fault.Calm, Calm() ?? "the network was already calm");
        foreach (var id in Down) _cluster.Restart(id);
        Note(Fault.RestartAll, "every crashed server restarted");
    }

    private void Note(Fault fault, string description) => _log.Add(new NemesisStep(_cluster.Now, fault, description));

    private Fault Draw()
    {
        var pick = _random.Next(_totalWeight);
        foreach (var (fault, weight) in _weights)
        {
            if (pick < weight) return fault;
            pick -= weight;
        }
        return _weights[^1].Fault;
    }

    /// <summary>Inflicts <paramref name="fault"/>; null when it does not apply now.</summary>
    public string? Inflict(Fault fault)
    {
        switch (fault)
        {
            case Fault.PartitionHalves:
            {
                var order = Shuffled(All);
                var cut = 1 + _random.Next(order.Length - 1);
                var a = order[..cut];
                var b = order[cut..];
                _cluster.Partition(a, b);
                return $"partition {Names(a)} | {Names(b)}";
            }
            case Fault.IsolateLeader:
                if (_cluster.Leader is not { } leader) return null;
                _cluster.Isolate(leader);
                return $"isolate the leader {leader}";
            case Fault.IsolateNode:
            {
                var victim = Pick(All);
                _cluster.Isolate(victim);
                return $"isolate {victim}";
            }
            case Fault.MajorityRing:
                return Ring();
            case Fault.OneWayCut:
            {
                var from = Pick(All);
                var to = Pick(All.Where(n => n != from).ToArray());
                _cluster.Network.Cut(from, to);
                return $"cut {from}→{to} one way";
            }
            case Fault.CutLeaderFromSome:
            {
                if (_cluster.Leader is not { } boss) return null;
                var followers = Shuffled(All.Where(n => n != boss).ToArray());
                var cut = followers[..(1 + _random.Next(followers.Length))];
                foreach (var f in cut) _cluster.Network.Cut(boss, f);
                return $"cut leader {boss}→{Names(cut)} one way: its entries reach only the others";
            }
            case Fault.CrashNode:
            {
                if (Up.Length == 0) return null;
                var victim = Pick(Up);
                _cluster.Crash(victim);
                return $"crash {victim}";
            }
            case Fault.CrashLeader:
                if (_cluster.Leader is not { } l) return null;
                _cluster.Crash(l);
                return $"crash the leader {l}";
            case Fault.CrashNewLeader:
            {
                if (_cluster.Leader is not { } young || _newestLeader is not { } newest || newest.Node != young
                    || _cluster.Now - newest.Since > NewLeaderAge) return null;
                _cluster.Crash(young);
                return $"crash {young} {(_cluster.Now - newest.Since).TotalMilliseconds:0} ms after it became leader of term {newest.Term}";
            }
            case Fault.CrashMajority:
            {
                var up = UpVoters;
                var majority = _cluster.Configuration.Majority;
                if (up.Length < majority) return null;
                var victims = Shuffled(up)[..majority];
                foreach (var v in victims) _cluster.Crash(v);
                return $"crash a majority: {Names(victims)}";
            }
            case Fault.RestartNode:
            {
                if (Down.Length == 0) return null;
                var back = Pick(Down);
                _cluster.Restart(back);
                return $"restart {back}";
            }
            case Fault.RestartAll:
            {
                var down = Down;
                if (down.Length == 0) return null;
                foreach (var n in down) _cluster.Restart(n);
                return $"restart {Names(down)}";
            }
            case Fault.BounceNode:
            {
                if (Up.Length == 0) return null;
                var victim = Pick(Up);
                _cluster.Crash(victim);
                _cluster.Restart(victim);
                return $"crash and restart {victim} at once";
            }
            case Fault.CompetingElections:
            {
                var config = _cluster.Configuration;
                var followers = _cluster.Nodes.Where(n => n.IsUp && n.Role != NodeRole.Leader && config.IsVoter(n.Id)).Select(n => n.Id).ToArray();
                if (followers.Length < 2) return null;
                var pair = Shuffled(followers)[..2];
                foreach (var p in pair) _cluster.ForceTimeout(p);
                return $"{pair[0]} and {pair[1]} time out together and compete";
            }
            case Fault.Loss:
            {
                var rate = _cluster.Network.LossRate > 0 && _random.Chance(0.4) ? 0 : Math.Round(0.05 + _random.NextDouble() * 0.3, 2);
                _cluster.Network.LossRate = rate;
                return $"lose {rate:P0} of messages";
            }
            case Fault.Duplication:
            {
                var rate = _cluster.Network.DuplicateRate > 0 && _random.Chance(0.4) ? 0 : Math.Round(0.05 + _random.NextDouble() * 0.3, 2);
                _cluster.Network.DuplicateRate = rate;
                return $"duplicate {rate:P0} of messages";
            }
            case Fault.LongDelays:
            {
                var max = TimeSpan.FromMilliseconds(150 + _random.Next(550));
                _cluster.Network.SetLatency(TimeSpan.FromMilliseconds(_random.Next(5)), max);
                return $"latency 0–{max.TotalMilliseconds:0} ms: messages overtake each other";
            }
            case Fault.SlowLink:
            {
                var from = Pick(All);
                var to = Pick(All.Where(n => n != from).ToArray());
                var max = TimeSpan.FromMilliseconds(200 + _random.Next(800));
                _cluster.Network.SetLatency(from, to, TimeSpan.FromMilliseconds(1), max);
                return $"link {from}→{to} slowed to 1–{max.TotalMilliseconds:0} ms";
            }
            case Fault.TransferLeadership:
            {
                if (_cluster.Leader is not { } from) return null;
                var candidates = Up.Where(n => n != from).ToArray();
                if (candidates.Length == 0) return null;
                var to = Pick(candidates);
                return _cluster.TransferLeadership(to).Ok ? $"ask leader {from} to hand leadership to {to}" : null;
            }
            case Fault.IsolateSlowLeader:
            {
                if (_cluster.Leader is not { } from) return null;
                var slowest = _cluster.Nodes.Where(n => n.IsUp).MinBy(n => n.ClockRate)!;
                if (slowest.Id == from)
                {
                    _cluster.Isolate(from);
                    return $"isolate the leader {from}, whose clock runs slowest ({slowest.ClockRate:0.00}×)";
                }
                return _cluster.TransferLeadership(slowest.Id).Ok
                    ? $"ask leader {from} to hand leadership to {slowest.Id}, whose clock runs slowest ({slowest.ClockRate:0.00}×)"
                    : null;
            }
            case Fault.AddServer:
            {
                var added = _cluster.AddServer();
                return added.Ok ? $"add a server: {added.Message}" : $"ask to add a server, refused: {added.Message}";
            }
            case Fault.RemoveServer:
            {
                var members = Members;
                if (members.Length == 0) return null;
                var victim = Pick(members);
                var removed = _cluster.RemoveServer(victim);
                return removed.Ok ? $"remove {victim}: {removed.Message}" : $"ask to remove {victim}, refused: {removed.Message}";
            }
            case Fault.RemoveLeader:
            {
                if (_cluster.Leader is not { } self) return null;
                var removed = _cluster.RemoveServer(self);
                return removed.Ok ? $"remove the leader {self}: {removed.Message}" : $"ask to remove the leader {self}, refused: {removed.Message}";
            }
            case Fault.Heal:
                return _cluster.Network.IsDisturbed ? Heal() : null;
            case Fault.Calm:
                return Calm();
            default:
                return null;
        }
    }

    private string Heal()
    {
        _cluster.Heal();
        return "heal every link";
    }

    private string? Calm()
    {
        var options = _cluster.Options;
        var network = _cluster.Network;
        var changed = false;
        if (network.MinLatency != options.MinLatency || network.MaxLatency != options.MaxLatency)
        {
            network.SetLatency(options.MinLatency, options.MaxLatency);
            changed = true;
        }
        if (network.LossRate != 0) { network.LossRate = 0; changed = true; }
        if (network.DuplicateRate != 0) { network.DuplicateRate = 0; changed = true; }
        return changed ? "calm network: usual latency, no loss, no duplication" : null;
    }

    /// <summary>
    /// Servers on a ring each reach only their nearest neighbours, enough for a majority each, so
    /// every server sees a majority but no two see the same one. Groups cannot overlap, so the
    /// ring is made of one-way cuts between every pair that are not neighbours.
    /// </summary>
    private string? Ring()
    {
        var members = Members; // a removed server keeps its links
        if (members.Length < 4) return null; // with three servers every pair are neighbours
        var ring = Shuffled(members);
        var reach = (ring.Length / 2 + 1) / 2; // neighbours on each side: 1 + 2 * reach ≥ a majority
        _cluster.Heal();
        for (var i = 0; i < ring.Length; i++)
            for (var j = 0; j < ring.Length; j++)
            {
                var d = Math.Abs(i - j);
                d = Math.Min(d, ring.Length - d);
                if (i != j && d > reach) _cluster.Network.Cut(ring[i], ring[j]);
            }
        return $"ring of overlapping majorities {string.Join("–", ring)}–{ring[0]}";
    }

    private NodeId Pick(NodeId[] from) => from[_random.Next(from.Length)];

    private NodeId[] Shuffled(NodeId[] items)
    {
        var copy = items.ToArray();
        for (var i = copy.Length - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy;
    }

    private static string Names(IEnumerable<NodeId> ids) => string.Join(" ", ids.OrderBy(n => n));
}
