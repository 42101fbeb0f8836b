using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Tests.Core;

/// <summary>One user action planned at a step, or a stretch of idle simulated time when Act is null.</summary>
internal sealed record PlannedAct(long Step, ClusterCommand? Command, TimeSpan Idle = default)
{
    public override string ToString() => $"@{Step} {Command?.ToString() ?? $"idle {Idle}"}";
}

/// <summary>Random user actions at random steps: crashes, restarts, timeouts, partitions, cuts, latency, loss, duplication, submits, and optionally transfers, link faults and membership changes.</summary>
internal static class RandomPlan
{
    /// <param name="transfers">Also plan leadership transfers (a plan without them draws exactly as before).</param>
    /// <param name="linkFaults">Also plan one link's loss, restoring a cut direction, and dropping or duplicating a message in flight.</param>
    /// <param name="membership">Also plan adding servers and removing members (and name the servers that may join in other acts).</param>
    public static List<PlannedAct> Make(SimRandom r, int nodes, int count, long maxStep, bool transfers = false, bool linkFaults = false,
        bool membership = false)
    {
        var steps = Enumerable.Range(0, count).Select(_ => r.NextInt64(0, maxStep)).Order().ToArray();
        return steps.Select(step => Pick(r, nodes, step, transfers, linkFaults, membership)).ToList();
    }

    private static PlannedAct Pick(SimRandom r, int nodes, long step, bool transfers, bool linkFaults, bool membership)
    {
        if (membership && r.Chance(0.2))
        {
            // Refused without a leader, while a change is pending, for the last voter or at nine servers (and then not recorded).
            return r.Chance(0.55)
                ? new(step, new ClusterCommand.AddServer())
                : new(step, new ClusterCommand.RemoveServer(r.Next(Math.Min(9, nodes + 2)) + 1));
        }
        // With membership changes, acts may also name the servers that join later (refused while they do not exist).
        var named = membership ? Math.Min(9, nodes + 2) : nodes;
        NodeId Any() => r.Next(named) + 1;
        var n = Any();
        var m = Any();
        if (linkFaults && r.Chance(0.25))
        {
            // Message ids grow about as fast as steps; an id that is no longer in flight is refused (and not recorded).
            var message = r.NextInt64(Math.Max(0, step / 2 - 20), step / 2 + 20);
            return r.Next(4) switch
            {
                0 => new(step, new ClusterCommand.SetLinkLoss(n, m, r.Next(5) * 0.2)),
                1 => new(step, new ClusterCommand.Uncut(n, m)),
                2 => new(step, new ClusterCommand.DropMessage(message)),
                _ => new(step, new ClusterCommand.DuplicateMessage(message)),
            };
        }
        switch (r.Next(transfers ? 14 : 12))
        {
            case 12:
            case 13: return new(step, new ClusterCommand.TransferLeadership(n));
            case 0: return new(step, new ClusterCommand.Crash(n));
            case 1: return new(step, new ClusterCommand.Restart(n));
            case 2: return new(step, new ClusterCommand.ForceTimeout(n));
            case 3:
                var split = r.Next(nodes - 1) + 1;
                var ids = Enumerable.Range(1, nodes).Select(i => (NodeId)i).ToArray();
                return new(step, new ClusterCommand.Partition([ids[..split], ids[split..]]));
            case 4: return new(step, new ClusterCommand.Heal());
            case 5: return new(step, new ClusterCommand.Cut(n, m));
            case 6: return new(step, new ClusterCommand.SetLatency(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5 + r.Next(80))));
            case 7: return new(step, new ClusterCommand.SetLoss(r.Next(4) * 0.1));
            case 8: return new(step, new ClusterCommand.SetDuplication(r.Next(3) * 0.1));
            case 9: return new(step, null, TimeSpan.FromMilliseconds(1 + r.Next(300)));
            case 10: return new(step, new ClusterCommand.SetLinkLatency(n, m, TimeSpan.Zero, TimeSpan.FromMilliseconds(1 + r.Next(100))));
            default:
                var key = $"k{r.Next(3)}";
                var value = $"v{r.Next(100)}";
                var kind = r.Next(4);
                var via = r.Chance(0.5) ? (NodeId?)n : null;
                var command = kind switch { 0 => KvCommand.Get(key), 1 => KvCommand.Delete(key), 2 => KvCommand.Append(key, value), _ => KvCommand.Put(key, value) };
                return new(step, new ClusterCommand.Submit(command, via));
        }
    }

    /// <summary>Steps the cluster to each planned step and carries the act out there, then runs to <paramref name="endStep"/>.</summary>
    public static void Drive(Cluster cluster, IEnumerable<PlannedAct> plan, long endStep)
    {
        foreach (var p in plan)
        {
            while (cluster.Steps < p.Step && cluster.Step()) { }
            if (p.Command is { } command) cluster.Execute(command);
            else cluster.RunFor(p.Idle);
        }
        while (cluster.Steps < endStep && cluster.Step()) { }
    }
}
