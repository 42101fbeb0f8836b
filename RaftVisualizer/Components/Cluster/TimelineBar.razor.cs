using System.Globalization;
using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// The whole run under the canvas: a scrub over simulated time, the markers of its landmarks (click to
/// jump), one event back and forward, and Live. Every panel shows the moment chosen, because they all
/// read <see cref="LiveCluster.Snapshot"/>; a banner says which moment it is and that acting starts a branch.
/// The scale ends at a round time past the head, so markers keep their places while the run grows.
/// </summary>
public partial class TimelineBar
{
    private IReadOnlyList<TimelineMarker> _markers = [];
    private IReadOnlyList<BranchInfo> _branches = [];
    private string? _problem;
    private TimeSpan _scaleEnd = TimeSpan.FromSeconds(1);

    protected override object ChangeKey() =>
        (Ms(Snapshot.Now), Snapshot.Steps, Ms(Live.HeadTime), Live.IsLive, Live.FollowsPump, Live.CanControl, _markers.Count, _markers.Count > 0 ? _markers[^1] : null, _branches.Count, _branches.Count > 0 ? _branches[^1] : null, _problem);

    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        Refresh();
    }

    protected override void OnLiveChanged() => Refresh();

    private void Refresh()
    {
        _markers = Live.Markers;
        _branches = Live.Branches;
        _scaleEnd = ScaleEnd(Live.HeadTime - Live.StartTime) + Live.StartTime;
    }

    /// <summary>The smallest of 1, 1.5, 2, 3, 5, 7.5 × 10ⁿ seconds at or past <paramref name="span"/> (at least one second).</summary>
    public static TimeSpan ScaleEnd(TimeSpan span)
    {
        var seconds = Math.Max(1, span.TotalSeconds);
        var decade = Math.Pow(10, Math.Floor(Math.Log10(seconds)));
        foreach (var f in (double[])[1, 1.5, 2, 3, 5, 7.5, 10])
            if (f * decade >= seconds) return TimeSpan.FromSeconds(f * decade);
        return TimeSpan.FromSeconds(10 * decade);
    }

    private void OnScrub(ChangeEventArgs e)
    {
        if (!double.TryParse(e.Value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) return;
        var time = TimeSpan.FromMilliseconds(ms);
        if (time >= Live.HeadTime) Live.GoLive(); // dragged to (or past) the end of the run
        else Live.SeekTime(time);
    }

    private void Jump(TimelineMarker marker) => Live.SeekStep(marker.Step);

    private void Switch(BranchInfo branch)
    {
        var result = Live.SwitchBranch(branch.Index);
        _problem = result.Ok ? null : result.Message;
        Refresh();
    }

    private static string BranchTitle(BranchInfo b) =>
        $"Go back to the future you left at step {b.ForkedAtStep}: it ran to step {b.HeadStep} ({EventNarrator.Clock(b.HeadTime)})" +
        (b.LastCommand is { } last ? $", its last action: {last}" : "") + ". The branch you are on now is kept in its place.";

    private string Where => Live.IsLive
        ? $"live · t = {EventNarrator.Clock(Snapshot.Now)} · step {Snapshot.Steps}"
        : $"t = {EventNarrator.Clock(Snapshot.Now)} · step {Snapshot.Steps} of {Live.HeadStep}";

    private string? Banner
    {
        get
        {
            if (Live.IsLive) return null;
            var behind = Live.HeadTime - Snapshot.Now;
            var moment = $"t = {EventNarrator.Clock(Snapshot.Now)} (step {Snapshot.Steps}), {EventNarrator.Clock(behind)} before the live head";
            if (Live.CanControl)
                return $"Looking back at {moment}. Acting here (a crash, a partition, a client request) starts a new branch from this moment; the future you leave is kept. Live (End) returns.";
            return Live.FollowsPump
                ? $"The presenter is showing {moment}."
                : $"You are looking back at {moment} on your own; the room goes on without you.";
        }
    }

    private static string Tooltip(TimelineMarker m) => $"{EventNarrator.Clock(m.Time)}: {m.Label} (click to jump here)";

    private static string Glyph(MarkerKind kind) => kind switch
    {
        MarkerKind.LeaderElected => "★",
        MarkerKind.Crash => "✖",
        MarkerKind.Restart => "▲",
        MarkerKind.Partition => "◆",
        MarkerKind.Heal => "●",
        MarkerKind.ClientAnswer => "•",
        MarkerKind.Membership => "◎",
        _ => "!",
    };

    private double Pct(TimeSpan t)
    {
        var span = (_scaleEnd - Live.StartTime).TotalMilliseconds;
        return span <= 0 ? 0 : Math.Round(Math.Clamp((t - Live.StartTime).TotalMilliseconds / span * 100, 0, 100), 3);
    }

    private static string Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds).ToString("0", CultureInfo.InvariantCulture);
}
