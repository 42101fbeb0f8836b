using System.Globalization;
using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Snapshots;

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
        Do(new ClusterCommand.SetLatency(TimeSpan.FromMilliseconds(_minMs), TimeSpan.FromMilliseconds(_maxMs)), quiet: true);
    }

    private void ApplyLoss(int percent)
    {
        _lossPct = Math.Clamp(percent, 0, 100);
        Do(new ClusterCommand.SetLoss(_lossPct / 100.0), quiet: true);
    }

    private void ApplyDuplication(int percent)
    {
        _dupPct = Math.Clamp(percent, 0, 100);
        Do(new ClusterCommand.SetDuplication(_dupPct / 100.0), quiet: true);
    }

    private void IsolateLeader() => Do(new ClusterGesture.IsolateLeader());

    private void SplitMajority() => Do(new ClusterGesture.SplitMajority());

    private void Heal() => Do(new ClusterCommand.Heal());

    private string GroupOf(NodeId id) => _assigned.TryGetValue(id, out var g) ? g : "A";

    private void Assign(NodeId id, string group) => _assigned[id] = group;

    private void ApplyGroups()
    {
        var groups = Snapshot.Nodes.GroupBy(n => GroupOf(n.Id)).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<NodeId>)g.Select(n => n.Id).ToArray()).ToArray();
        if (groups.Length == 1)
        {
            _message = ActionResult.Refused("Every server is in group A: put at least one in group B or C to make a partition (or use Heal).");
            return;
        }
        Do(new ClusterCommand.Partition(groups));
    }

    /// <summary>Sends a typed command through the page's live cluster (which checks the right to control) and shows a refusal.</summary>
    private void Do(ClusterCommand command, bool quiet = false)
    {
        var result = Live.Act(command);
        _message = quiet && result.Ok ? null : result;
        SyncSliders();
    }
}
