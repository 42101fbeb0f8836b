using System.Globalization;
using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// The simulated network: latency, loss and duplication sliders, partition presets (isolate the
/// leader, majority | minority), groups picked by hand, and heal. Refusals are shown, not thrown.
/// </summary>
public partial class NetworkPanel
{
    private const int MaxLatencyMs = 500;
    private static readonly string[] GroupNames = ["A", "B", "C"];

    private readonly Dictionary<NodeId, string> _assigned = new();
    private int _minMs, _maxMs, _lossPct, _dupPct;
    private (TimeSpan, TimeSpan, double, double)? _synced;
    private ActionResult? _message;

    protected override object ChangeKey()
    {
        var s = Snapshot;
        return (string.Join("|", s.Groups.Select(g => string.Join(",", g))), string.Join("|", s.Cuts), s.MinLatency, s.MaxLatency, s.LossRate,
            s.Nodes.Count, s.Leader, Live.CanControl, _minMs, _maxMs, _lossPct, _dupPct);
    }

    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        SyncSliders();
    }

    protected override void OnLiveChanged() => SyncSliders();

    /// <summary>Follows the cluster's settings when they change elsewhere (a reset, a replay, another tab's presenter).</summary>
    private void SyncSliders()
    {
        // read the cluster itself, not the last published snapshot, which may lag behind our own change
        var now = Live.Read(c => (c.Network.MinLatency, c.Network.MaxLatency, c.Network.LossRate, c.Network.DuplicateRate));
        if (_synced == now) return;
        _synced = now;
        _minMs = (int)now.MinLatency.TotalMilliseconds;
        _maxMs = (int)now.MaxLatency.TotalMilliseconds;
        _lossPct = (int)Math.Round(now.LossRate * 100);
        _dupPct = (int)Math.Round(now.DuplicateRate * 100);
    }

    private static int Parse(ChangeEventArgs e, int fallback) =>
        int.TryParse(e.Value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    private void ApplyLatency(int? min, int? max)
    {
        _minMs = Math.Clamp(min ?? _minMs, 0, MaxLatencyMs);
        _maxMs = Math.Clamp(max ?? _maxMs, 0, MaxLatencyMs);
        if (_minMs > _maxMs)
        {
            if (min is not null) _maxMs = _minMs; // dragging min past max pushes max along, and the reverse
            else _minMs = _maxMs;
        }
        var (lo, hi) = (TimeSpan.FromMilliseconds(_minMs), TimeSpan.FromMilliseconds(_maxMs));
        Do(c => c.Network.SetLatency(lo, hi), quiet: true);
    }

    private void ApplyLoss(int percent)
    {
        _lossPct = Math.Clamp(percent, 0, 100);
        var rate = _lossPct / 100.0;
        Do(c => { c.Network.LossRate = rate; return ActionResult.Done($"Loss set to {_lossPct} %."); }, quiet: true);
    }

    private void ApplyDuplication(int percent)
    {
        _dupPct = Math.Clamp(percent, 0, 100);
        var rate = _dupPct / 100.0;
        Do(c => { c.Network.DuplicateRate = rate; return ActionResult.Done($"Duplication set to {_dupPct} %."); }, quiet: true);
    }

    private void IsolateLeader() => Do(c => c.Leader is { } leader
        ? c.Isolate(leader)
        : ActionResult.Refused("There is no leader to isolate right now: wait for an election to finish."));

    /// <summary>The leader (if any) and the fewest others needed for a minority on one side, a majority on the other.</summary>
    private void SplitMajority() => Do(c =>
    {
        var ids = c.Nodes.Select(n => n.Id).ToList();
        if (ids.Count < 2) return ActionResult.Refused("A single server cannot be split.");
        var minoritySize = (ids.Count - 1) / 2;
        if (minoritySize == 0) minoritySize = 1;
        var minority = new List<NodeId>();
        if (c.Leader is { } leader) minority.Add(leader);
        foreach (var id in ids.AsEnumerable().Reverse())
            if (minority.Count < minoritySize && !minority.Contains(id)) minority.Add(id);
        return c.Partition(ids.Where(id => !minority.Contains(id)), minority);
    });

    private void Heal() => Do(c => c.Heal());

    private string GroupOf(NodeId id) => _assigned.TryGetValue(id, out var g) ? g : "A";

    private void Assign(NodeId id, string group) => _assigned[id] = group;

    private void ApplyGroups() => Do(c =>
    {
        var groups = c.Nodes.GroupBy(n => GroupOf(n.Id)).OrderBy(g => g.Key).Select(g => g.Select(n => n.Id).ToArray()).ToArray();
        return groups.Length == 1
            ? ActionResult.Refused("Every server is in group A: put at least one in group B or C to make a partition (or use Heal).")
            : c.Partition(groups);
    });

    private void Do(Func<Core.Cluster, ActionResult> action, bool quiet = false)
    {
        var result = Live.Act(action);
        _message = quiet && result.Ok ? null : result;
        SyncSliders();
    }
}
