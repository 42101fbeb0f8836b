using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>
/// The simulated network: latency for the whole network and per link, loss, duplication,
/// partitions into groups, one-way cuts and a per-message filter. Reordering comes from the
/// random latency. Every change is recorded, so a scenario replays it.
/// </summary>
public sealed class SimNetwork
{
    private readonly List<NodeId> _nodes;
    private readonly Dictionary<NodeId, int> _group = new();
    private readonly HashSet<(NodeId From, NodeId To)> _cuts = new();
    // One entry per directed link that has its own settings (latency and/or loss); a deep copy of
    // this dictionary carries every per-link setting, since LinkSettings is an immutable value.
    private readonly Dictionary<(NodeId From, NodeId To), LinkSettings> _linkLatency = new();
    private readonly Action<ClusterCommand, string> _changed;

    internal SimNetwork(IReadOnlyList<NodeId> nodes, ClusterOptions options, Action<ClusterCommand, string> changed)
    {
        _nodes = nodes.ToList();
        _changed = changed;
        MinLatency = options.MinLatency;
        MaxLatency = options.MaxLatency;
        _lossRate = options.LossRate;
        _duplicateRate = options.DuplicateRate;
        foreach (var n in _nodes) _group[n] = 0;
    }

    /// <summary>
    /// A copy with every link, cut, latency and rate of this one, reporting its changes to
    /// <paramref name="changed"/> (the copy's cluster). The <see cref="Filter"/> delegate is shared
    /// by reference: a filter that keeps state of its own is then shared by both networks.
    /// </summary>
    internal SimNetwork(SimNetwork source, Action<ClusterCommand, string> changed)
    {
        _nodes = new List<NodeId>(source._nodes);
        _changed = changed;
        _group = new Dictionary<NodeId, int>(source._group);
        _cuts = new HashSet<(NodeId From, NodeId To)>(source._cuts);
        _linkLatency = new Dictionary<(NodeId From, NodeId To), LinkSettings>(source._linkLatency);
        MinLatency = source.MinLatency;
        MaxLatency = source.MaxLatency;
        _lossRate = source._lossRate;
        _duplicateRate = source._duplicateRate;
        Filter = source.Filter;
    }

    /// <summary>
    /// Wires a new server in, on the side of <paramref name="nextTo"/> if the network is split
    /// (it is plugged in where the server that adds it can reach it).
    /// </summary>
    internal void AddNode(NodeId id, NodeId nextTo)
    {
        if (_group.ContainsKey(id)) return;
        _nodes.Add(id);
        _group[id] = _group.TryGetValue(nextTo, out var group) ? group : 0;
    }

    public TimeSpan MinLatency { get; private set; }
    public TimeSpan MaxLatency { get; private set; }

    private double _lossRate;
    /// <summary>The chance that a message is lost, 0 to 1.</summary>
    public double LossRate
    {
        get => _lossRate;
        set
        {
            _lossRate = Math.Clamp(value, 0, 1);
            _changed(new ClusterCommand.SetLoss(_lossRate), $"loss set to {_lossRate:P0}");
        }
    }

    private double _duplicateRate;
    /// <summary>The chance that a message is delivered twice, 0 to 1.</summary>
    public double DuplicateRate
    {
        get => _duplicateRate;
        set
        {
            _duplicateRate = Math.Clamp(value, 0, 1);
            _changed(new ClusterCommand.SetDuplication(_duplicateRate), $"duplication set to {_duplicateRate:P0}");
        }
    }

    /// <summary>Messages for which this returns false are dropped. Not part of a replayable scenario.</summary>
    public Func<RaftMessage, bool>? Filter { get; set; }

    /// <summary>True while any partition or cut is in force.</summary>
    public bool IsDisturbed => _cuts.Count > 0 || _group.Values.Distinct().Count() > 1;

    public IReadOnlyCollection<(NodeId From, NodeId To)> Cuts => _cuts;

    /// <summary>The partition groups, each sorted; one group when the network is whole.</summary>
    public IReadOnlyList<IReadOnlyList<NodeId>> Groups =>
        _nodes.GroupBy(n => _group[n]).OrderBy(g => g.Min()).Select(g => (IReadOnlyList<NodeId>)g.OrderBy(n => n).ToArray()).ToArray();

    public ActionResult SetLatency(TimeSpan min, TimeSpan max)
    {
        if (min < TimeSpan.Zero || max < min) return ActionResult.Refused($"Latency needs 0 ≤ min ≤ max (got {min.TotalMilliseconds} ms to {max.TotalMilliseconds} ms).");
        MinLatency = min;
        MaxLatency = max;
        _changed(new ClusterCommand.SetLatency(min, max), $"latency set to {min.TotalMilliseconds:0}–{max.TotalMilliseconds:0} ms");
        return ActionResult.Done("Latency changed.");
    }

    public ActionResult SetLatency(NodeId from, NodeId to, TimeSpan min, TimeSpan max)
    {
        if (Unknown(from, to) is { } refusal) return refusal;
        if (min < TimeSpan.Zero || max < min) return ActionResult.Refused("Latency needs 0 ≤ min ≤ max.");
        _linkLatency[(from, to)] = Link(from, to) with { Min = min, Max = max };
        _changed(new ClusterCommand.SetLinkLatency(from, to, min, max),
            $"latency {from}→{to} set to {min.TotalMilliseconds:0}–{max.TotalMilliseconds:0} ms");
        return ActionResult.Done("Link latency changed.");
    }

    /// <summary>
    /// Sets the chance, 0 to 1, that a message on the one-way link from <paramref name="from"/> to
    /// <paramref name="to"/> is lost, on top of the whole network's <see cref="LossRate"/>.
    /// </summary>
    public ActionResult SetLoss(NodeId from, NodeId to, double rate)
    {
        if (Unknown(from, to) is { } refusal) return refusal;
        if (from == to) return ActionResult.Refused("A node has no link to itself.");
        if (!double.IsFinite(rate)) return ActionResult.Refused("Loss must be a number from 0 to 1.");
        rate = Math.Clamp(rate, 0, 1);
        _linkLatency[(from, to)] = Link(from, to) with { Loss = rate };
        _changed(new ClusterCommand.SetLinkLoss(from, to, rate),
            $"loss {from}→{to} set to {rate:P0}");
        return ActionResult.Done($"{from}→{to} now loses {rate:P0} of its messages.");
    }

    /// <summary>Restores the one-way link from <paramref name="from"/> to <paramref name="to"/> after a <see cref="Cut"/>.</summary>
    public ActionResult Uncut(NodeId from, NodeId to)
    {
        if (Unknown(from, to) is { } refusal) return refusal;
        if (!_cuts.Remove((from, to))) return ActionResult.Refused($"The link {from}→{to} is not cut.");
        _changed(new ClusterCommand.Uncut(from, to), $"link {from}→{to} restored");
        return ActionResult.Done($"{from} can reach {to} again.");
    }

    /// <summary>The settings of every directed link that has its own, ordered by link.</summary>
    public IReadOnlyList<LinkSettings> LinkSettings =>
        _linkLatency.OrderBy(l => l.Key.From).ThenBy(l => l.Key.To).Select(l => l.Value).ToArray();

    /// <summary>The settings of the one-way link <paramref name="from"/>→<paramref name="to"/> (the whole network's when it has none of its own).</summary>
    public LinkSettings Link(NodeId from, NodeId to) =>
        _linkLatency.TryGetValue((from, to), out var link) ? link : new LinkSettings(from, to, null, null, 0);

    /// <summary>Cuts the one-way link from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public ActionResult Cut(NodeId from, NodeId to)
    {
        if (Unknown(from, to) is { } refusal) return refusal;
        if (from == to) return ActionResult.Refused("A node cannot be cut from itself.");
        _cuts.Add((from, to));
        _changed(new ClusterCommand.Cut(from, to), $"link {from}→{to} cut");
        return ActionResult.Done($"{from} can no longer reach {to}.");
    }

    /// <summary>Splits the cluster into groups that cannot reach each other. Nodes named in no group stand alone.</summary>
    public ActionResult Partition(params IEnumerable<NodeId>[] groups)
    {
        var lists = groups.Select(g => g.Distinct().ToArray()).Where(g => g.Length > 0).ToArray();
        var all = lists.SelectMany(g => g).ToArray();
        var unknown = all.Where(n => !_group.ContainsKey(n)).ToArray();
        if (unknown.Length > 0) return ActionResult.Refused($"There is no node {string.Join(", ", unknown)}.");
        if (all.Length != all.Distinct().Count()) return ActionResult.Refused("A node can be in only one group.");
        var next = 1;
        foreach (var n in _nodes) _group[n] = -n.Value; // unnamed nodes stand alone
        foreach (var g in lists)
        {
            foreach (var n in g) _group[n] = next;
            next++;
        }
        var text = string.Join(" | ", Groups.Select(g => string.Join(" ", g)));
        _changed(new ClusterCommand.Partition(lists),
            $"network partitioned: {text}");
        return ActionResult.Done($"Partitioned into {text}.");
    }

    /// <summary>Restores every link: no partitions, no cuts, no per-link latency or loss.</summary>
    public ActionResult Heal()
    {
        foreach (var n in _nodes) _group[n] = 0;
        _cuts.Clear();
        _linkLatency.Clear();
        _changed(new ClusterCommand.Heal(), "network healed: every link works again");
        return ActionResult.Done("Every link works again.");
    }

    public bool CanReach(NodeId from, NodeId to) =>
        from == to || (_group.TryGetValue(from, out var a) && _group.TryGetValue(to, out var b) && a == b && !_cuts.Contains((from, to)));

    internal TimeSpan DrawLatency(NodeId from, NodeId to, SimRandom random) =>
        _linkLatency.TryGetValue((from, to), out var link) && link.Min is { } min && link.Max is { } max
            ? random.NextDuration(min, max)
            : random.NextDuration(MinLatency, MaxLatency);

    /// <summary>The link's own loss rate (0 when it has none): drawn only when above 0, so runs without it keep their random stream.</summary>
    internal double LinkLoss(NodeId from, NodeId to) =>
        _linkLatency.TryGetValue((from, to), out var link) ? link.Loss : 0;

    private ActionResult? Unknown(NodeId a, NodeId b) =>
        !_group.ContainsKey(a) ? ActionResult.Refused($"There is no node {a}.") :
        !_group.ContainsKey(b) ? ActionResult.Refused($"There is no node {b}.") : null;
}

/// <summary>
/// One directed link's own settings: its latency range (null = the whole network's) and the
/// chance, 0 to 1, that it loses a message on top of the network's loss rate.
/// </summary>
public sealed record LinkSettings(NodeId From, NodeId To, TimeSpan? Min, TimeSpan? Max, double Loss);
