using System.Globalization;
using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// The one place to pick the protocol: pre-vote, check-quorum, the vote guard, the read mode, clock
/// drift, batching, the snapshot threshold, and the broken rules (marked unsafe), or a preset. The
/// choices are a draft until applied; applying starts a new cluster from the same seed (or re-runs the
/// run's actions under it), through <see cref="ProtocolRestart"/>, which refuses a watcher.
/// </summary>
public partial class ProtocolPanel
{
    private bool _open;
    private ClusterOptions _draft = ClusterOptions.Default;
    private string? _message;
    private bool _problem;

    /// <summary>The options of the cluster running now.</summary>
    private ClusterOptions Running => Snapshot.Options;

    protected override object ChangeKey() => (Running, _open, _draft, _message, Live.CanControl);

    private string DriftPercent => (_draft.ClockDrift * 100).ToString("0.#", CultureInfo.InvariantCulture);

    private string Pending => Protocol.Differences(Running, _draft) switch
    {
        0 => "This is the protocol running now.",
        1 => "1 change, applied when you start again.",
        var n => $"{n} changes, applied when you start again.",
    };

    private static string PresetName(ClusterOptions options) =>
        Protocol.Presets.FirstOrDefault(p => p.Matches(options))?.Label ?? "custom";

    private void ToggleOpen()
    {
        _open = !_open;
        _draft = Running;
    }

    private void Choose(ProtocolPreset preset) => _draft = preset.Apply(_draft);

    private void Set(ProtocolSwitch s, bool on) => _draft = s.Set(_draft, on);

    private void SetReadMode(ReadMode mode) => _draft = _draft with { ReadMode = mode };

    private void SetDrift(ChangeEventArgs e)
    {
        if (Number(e) is { } percent) _draft = _draft with { ClockDrift = Math.Clamp(percent, 0, Protocol.MaxDriftPercent) / 100 };
    }

    private void SetBatch(ChangeEventArgs e)
    {
        if (Number(e) is { } n) _draft = _draft with { MaxEntriesPerAppend = (int)Math.Clamp(Math.Round(n), 1, Protocol.MaxBatch) };
    }

    private void SetSnapshot(ChangeEventArgs e)
    {
        if (Number(e) is { } n) _draft = _draft with { SnapshotThreshold = (int)Math.Clamp(Math.Round(n), 0, Protocol.MaxSnapshotThreshold) };
    }

    /// <summary>A number typed in a field, or null (the field keeps its last good value) when it is not one.</summary>
    private static double? Number(ChangeEventArgs e) =>
        double.TryParse(e.Value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    private void StartFresh() => Show(Live.StartFresh(_draft));

    private void Rerun() => Show(Live.Rerun(_draft));

    private void Show(ActionResult result)
    {
        _message = result.Message;
        _problem = !result.Ok;
        if (!result.Ok) return;
        _draft = Running;
        _open = false; // the new cluster runs; the summary line says what it runs
    }
}
