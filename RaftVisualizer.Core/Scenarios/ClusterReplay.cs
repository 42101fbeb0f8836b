namespace RaftVisualizer.Core;

/// <summary>Re-simulating a recorded scenario: the basis of replay, time travel, share links and forks.</summary>
public sealed partial class Cluster
{
    /// <summary>Builds a new cluster from the scenario's options and replays its actions, then runs to <paramref name="until"/>.</summary>
    public static Cluster Replay(Scenario scenario, TimeSpan? until = null)
    {
        var cluster = new Cluster(scenario.Options);
        foreach (var action in scenario.Actions)
        {
            while (cluster.Steps < action.AfterStep && cluster.Step()) { }
            if (action.At > cluster.Now) cluster.Now = action.At;
            cluster.Apply(action);
        }
        if (until is { } end) cluster.RunTo(end);
        return cluster;
    }

    /// <summary>Carries out one recorded action now.</summary>
    public ActionResult Apply(ScenarioAction action)
    {
        NodeId Node() => action.Node ?? 0;
        return action.Kind switch
        {
            ScenarioActionKind.Crash => Crash(Node()),
            ScenarioActionKind.Restart => Restart(Node()),
            ScenarioActionKind.ForceTimeout => ForceTimeout(Node()),
            ScenarioActionKind.Partition => Partition((action.Groups ?? []).Select(g => g.Select(n => (NodeId)n)).ToArray()),
            ScenarioActionKind.Heal => Heal(),
            ScenarioActionKind.Cut => Network.Cut(action.From ?? 0, action.To ?? 0),
            ScenarioActionKind.SetLatency => Network.SetLatency(action.Min ?? TimeSpan.Zero, action.Max ?? TimeSpan.Zero),
            ScenarioActionKind.SetLinkLatency => Network.SetLatency(action.From ?? 0, action.To ?? 0, action.Min ?? TimeSpan.Zero, action.Max ?? TimeSpan.Zero),
            ScenarioActionKind.SetLoss => SetRate(() => Network.LossRate = action.Rate ?? 0),
            ScenarioActionKind.SetDuplication => SetRate(() => Network.DuplicateRate = action.Rate ?? 0),
            ScenarioActionKind.SetLinkLoss => Network.SetLoss(action.From ?? 0, action.To ?? 0, action.Rate ?? 0),
            ScenarioActionKind.Uncut => Network.Uncut(action.From ?? 0, action.To ?? 0),
            ScenarioActionKind.DropMessage => DropMessage(action.Message ?? 0),
            ScenarioActionKind.DuplicateMessage => DuplicateMessage(action.Message ?? 0),
            ScenarioActionKind.Submit => Submitted(Submit(action.Command!, action.Node is { } n ? n : null)),
            _ => ActionResult.Refused($"Unknown action {action.Kind}."),
        };
    }

    private static ActionResult SetRate(Action set)
    {
        set();
        return ActionResult.Done("Rate changed.");
    }

    private static ActionResult Submitted(ClientOperation op) => ActionResult.Done($"Submitted {op.Command}.");
}
