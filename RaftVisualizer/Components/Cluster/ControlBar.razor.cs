using System.Globalization;
using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Pause / play, single step, speed on a log scale (0.01×–10×), the simulated clock, the seed,
/// and a reset to a new cluster of 3, 5 or 7 nodes (running the same protocol).
/// </summary>
public partial class ControlBar
{
    /// <summary>The slider works in hundredths of a decade: −200 is 0.01×, 0 is 1×, 100 is 10×.</summary>
    private static readonly int SliderMin = (int)Math.Round(Math.Log10(ClusterPump.MinSpeed) * 100);
    private static readonly int SliderMax = (int)Math.Round(Math.Log10(ClusterPump.MaxSpeed) * 100);
    private static readonly int[] NodeChoices = [3, 5, 7];

    private bool _resetOpen;
    private int _resetNodes = PrivateSession.DefaultNodeCount;
    private string? _resetSeed;
    private string? _resetError;

    /// <summary>Called instead of the built-in reset when set (e.g. by a page that also resets other state).</summary>
    [Parameter] public EventCallback<(int Nodes, ulong Seed)> OnReset { get; set; }

    private string? _refusal;

    private bool Paused => Live.IsHeadPaused;
    private double Speed => Live.Speed;
    private int SliderValue => (int)Math.Round(Math.Log10(Speed) * 100);
    private string Clock => "t = " + EventNarrator.Clock(Snapshot.Now);

    /// <summary>
    /// The seed chip's servers: "3 nodes" while the membership is the one the seed started with;
    /// after a server is added or removed, the servers in the configuration now and how many it
    /// started with ("4 voting + 1 learner · started with 3"), so it never shows the old count as current.
    /// </summary>
    public static string MembersText(ClusterFrame frame)
    {
        var start = frame.Options.NodeCount;
        var config = frame.Configuration;
        if (config.Learners.Count == 0 && config.Voters.SequenceEqual(Configuration.Initial(start).Voters))
            return $"{start} nodes";
        var learners = config.Learners.Count switch { 0 => "", 1 => " + 1 learner", var n => $" + {n} learners" };
        return $"{config.Voters.Count} voting{learners} · started with {start}";
    }

    /// <summary>The seed chip's tooltip: the chip's whole text (a narrow bar cuts it short), what the seed means and what the membership is now.</summary>
    public static string SeedTitle(ClusterFrame frame) =>
        $"seed {frame.Options.Seed} · {MembersText(frame)}. Same seed, same actions → the same run. The seed's cluster started with {frame.Options.NodeCount} servers; "
        + $"the configuration now: {frame.Configuration} (a + marks a learner).";

    /// <summary>"0.05×", "0.5×", "2×", "10×".</summary>
    public static string SpeedText(double speed) =>
        (speed >= 1 ? speed.ToString("0.#", CultureInfo.InvariantCulture) : speed.ToString("0.0#", CultureInfo.InvariantCulture)) + "×";

    /// <summary>The speed for a slider position, rounded to two significant digits so it reads well.</summary>
    public static double SpeedFromSlider(int position)
    {
        var raw = Math.Pow(10, position / 100.0);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)) - 1);
        return Math.Clamp(Math.Round(raw / magnitude) * magnitude, ClusterPump.MinSpeed, ClusterPump.MaxSpeed);
    }

    protected override object ChangeKey() =>
        (Paused, Speed, (long)Snapshot.Now.TotalMilliseconds, Snapshot.Options.Seed, MembersText(Snapshot), Live.CanControl, _refusal);

    /// <summary>Shows why an action was refused (the server checks the right to control; a disabled control is only a hint).</summary>
    private void Show(ActionResult result) => _refusal = result.Ok ? null : result.Message;

    private void TogglePause() => Show(Live.TogglePause());

    private void Step()
    {
        if (Paused || !Live.CanControl) Show(Live.Step());
    }

    private void OnSpeedInput(ChangeEventArgs e)
    {
        if (int.TryParse(e.Value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var position))
            Show(Live.SetSpeed(SpeedFromSlider(Math.Clamp(position, SliderMin, SliderMax))));
    }

    private void ToggleReset()
    {
        if (!Live.CanControl)
        {
            Show(ActionResult.Refused(LiveCluster.WatchOnly));
            return;
        }
        _resetOpen = !_resetOpen;
        _resetError = null;
        if (_resetOpen) _resetNodes = Snapshot.Options.NodeCount is 3 or 5 or 7 ? Snapshot.Options.NodeCount : PrivateSession.DefaultNodeCount;
    }

    private async Task ApplyReset()
    {
        if (!Live.CanControl)
        {
            _resetOpen = false;
            Show(ActionResult.Refused(LiveCluster.WatchOnly));
            return;
        }
        ulong seed;
        if (string.IsNullOrWhiteSpace(_resetSeed)) seed = (ulong)Random.Shared.Next(1, 100_000); // the host may use real randomness; the seed is shown
        else if (!ulong.TryParse(_resetSeed.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out seed))
        {
            _resetError = $"A seed is a whole number from 0 to {ulong.MaxValue}; leave it empty for a random one.";
            return;
        }
        _resetError = null;
        _resetOpen = false;
        if (OnReset.HasDelegate) await OnReset.InvokeAsync((_resetNodes, seed));
        else Show(Live.Reset(Protocol.Apply(new ClusterOptions { NodeCount = _resetNodes, Seed = seed }, Snapshot.Options))); // the protocol chosen stays
    }
}
