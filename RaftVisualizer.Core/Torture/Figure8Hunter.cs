using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core.Torture;

/// <summary>
/// The nemesis for <see cref="NemesisMode.Figure8"/>: it steers the cluster through Figure 8 of the
/// Raft paper, choosing servers and timings at random. (a) Leader A gets new entries onto one
/// follower only, then crashes. (b) Another server C wins, appends entries of its newer term that
/// nobody else gets, and crashes. (c) A comes back, wins a later term and copies its old entry
/// onto a majority; the instant it commits anything, it crashes. (d) C comes back and, with its
/// newer last term, can win and overwrite what A copied. Correct Raft never committed that old
/// entry, so this is safe; a leader that counted its replicas has lost a committed entry.
/// </summary>
internal sealed class Figure8Hunter
{
    private enum Stage { Start, IsolateA, WaitForC, IsolateC, WaitForA, AReplicates, WaitForC2 }

    private readonly Cluster _cluster;
    private readonly SimRandom _random;
    private Stage _stage = Stage.Start;
    private TimeSpan _since;
    private TimeSpan _hold;
    private NodeId _a, _b, _c;

    public Figure8Hunter(Cluster cluster, SimRandom random)
    {
        _cluster = cluster;
        _random = random;
    }

    /// <summary>True while A is back as leader and the hunter wants it crashed the instant it commits.</summary>
    public bool WaitingForCommitOf(NodeId node) => _stage == Stage.AReplicates && node == _a;

    /// <summary>Called when the nemesis crashed A on its commit.</summary>
    public string CrashedOnCommit()
    {
        _cluster.Restart(_c);
        Enter(Stage.WaitForC2);
        return $"Figure 8 (d): restart {_c}; with its newer last term it may win and overwrite";
    }

    /// <summary>Takes the next step when its moment has come; null when waiting.</summary>
    public string? Step()
    {
        var now = _cluster.Now;
        var leader = _cluster.Leader;
        switch (_stage)
        {
            case Stage.Start:
            {
                if (leader is not { } a || _cluster.Nodes.Any(n => !n.IsUp)) return Reset(now - _since > TimeSpan.FromSeconds(1));
                _a = a;
                var others = _cluster.Nodes.Select(n => n.Id).Where(n => n != a).ToArray();
                _b = others[_random.Next(others.Length)];
                foreach (var n in others.Where(n => n != _b)) _cluster.Network.Cut(a, n);
                _hold = TimeSpan.FromMilliseconds(40 + _random.Next(120));
                Enter(Stage.IsolateA);
                return $"Figure 8 (a): leader {a} reaches only {_b}, so its new entries land on a minority";
            }
            case Stage.IsolateA:
                if (now - _since < _hold) return null;
                _cluster.Crash(_a);
                _cluster.Heal();
                Enter(Stage.WaitForC);
                return $"Figure 8 (a): crash {_a}, heal the links";
            case Stage.WaitForC:
                if (leader is not { } c) return Reset(now - _since > TimeSpan.FromSeconds(1.5));
                if (c == _b) return Reset(true); // B holds A's entries: no Figure 8 this time
                _c = c;
                foreach (var n in _cluster.Nodes.Select(n => n.Id).Where(n => n != c)) _cluster.Network.Cut(c, n);
                _hold = TimeSpan.FromMilliseconds(20 + _random.Next(60));
                Enter(Stage.IsolateC);
                return $"Figure 8 (b): {c} leads term {_cluster.Node(c)!.Term}; cut it off so its entries stay its own";
            case Stage.IsolateC:
                if (now - _since < _hold) return null;
                _cluster.Crash(_c);
                _cluster.Heal();
                _cluster.Restart(_a);
                Enter(Stage.WaitForA);
                return $"Figure 8 (c): crash {_c}, heal, restart {_a}";
            case Stage.WaitForA:
                if (leader is not { } l) return Reset(now - _since > TimeSpan.FromSeconds(1.5));
                if (l != _a) return Reset(true);
                Enter(Stage.AReplicates);
                return $"Figure 8 (c): {_a} leads again in term {_cluster.Node(_a)!.Term} and copies its old entries";
            case Stage.AReplicates:
                if (now - _since < TimeSpan.FromMilliseconds(400)) return null;
                return Reset(true);
            case Stage.WaitForC2:
                return now - _since < TimeSpan.FromMilliseconds(800) ? null : Reset(true);
            default:
                return null;
        }
    }

    private void Enter(Stage stage)
    {
        _stage = stage;
        _since = _cluster.Now;
    }

    /// <summary>Gives up on this attempt when <paramref name="now"/> is true: heal, restart all, start over.</summary>
    private string? Reset(bool now)
    {
        if (!now) return null;
        var wasStart = _stage == Stage.Start;
        _cluster.Heal();
        foreach (var n in _cluster.Nodes.Where(n => !n.IsUp).Select(n => n.Id).ToArray()) _cluster.Restart(n);
        Enter(Stage.Start);
        return wasStart ? "Figure 8: heal and restart everyone" : "Figure 8: this attempt went another way; heal, restart everyone, start over";
    }
}
