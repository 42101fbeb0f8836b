using RaftVisualizer.Core;
using RaftVisualizer.Core.Safety;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Folds a server's run of elections that it never wins (a server removed while it was down or cut
/// off, which never learns it is out and times out again and again; a server alone in a partition)
/// so the feed shows its latest attempt in full and one line for the ones before, instead of five
/// lines every election timeout. Three or more attempts in a row without winning are folded; a win
/// ends the run. Only the feed's grouping: what each event says is the narrator's.
/// </summary>
public static class CampaignFolding
{
    /// <summary>Attempts in a row, the latest included, before the earlier ones are folded.</summary>
    public const int FoldFrom = 3;

    /// <summary>One folded run: the server, how many earlier attempts, their terms, and where the summary goes.</summary>
    public sealed record Fold(NodeId Node, int Attempts, long FirstTerm, long LastTerm, int SummaryAt);

    /// <summary>
    /// Which of <paramref name="events"/> (oldest first) are folded away, and the summaries, each to
    /// be told at the index of the newest attempt it folds (the event itself is folded).
    /// </summary>
    public static (HashSet<int> Hidden, IReadOnlyList<Fold> Folds) Plan(IReadOnlyList<ClusterEvent> events)
    {
        var hidden = new HashSet<int>();
        var folds = new List<Fold>();
        var starts = new Dictionary<NodeId, List<(int Index, long Term)>>();
        void Close(NodeId node)
        {
            if (!starts.TryGetValue(node, out var run)) return;
            starts.Remove(node);
            if (run.Count < FoldFrom) return;
            var folded = run.Take(run.Count - 1).ToArray();
            var (from, to) = (folded[0].Index, run[^1].Index);
            for (var i = from; i < to; i++)
                if (IsPartOfCampaign(events[i], node)) hidden.Add(i);
            folds.Add(new Fold(node, folded.Length, folded[0].Term, folded[^1].Term, folded[^1].Index));
        }
        for (var i = 0; i < events.Count; i++)
        {
            switch (events[i])
            {
                case RoleChanged { Role: NodeRole.Candidate or NodeRole.PreCandidate } r:
                    if (!starts.TryGetValue(r.Node, out var run)) starts[r.Node] = run = [];
                    run.Add((i, r.Term));
                    break;
                case RoleChanged { Role: NodeRole.Leader } r:
                    Close(r.Node);
                    break;
                case NodeCrashed c:
                    Close(c.Node);
                    break;
            }
        }
        foreach (var node in starts.Keys.ToArray()) Close(node);
        return (hidden, folds);
    }

    /// <summary>An event of <paramref name="node"/>'s own campaigning: its role and term changes, timer, vote requests and the answers to them.</summary>
    private static bool IsPartOfCampaign(ClusterEvent e, NodeId node) => e switch
    {
        RoleChanged r => r.Node == node && r.Role != NodeRole.Leader,
        TermChanged t => t.Node == node,
        ElectionTimerReset t => t.Node == node,
        VoteCast v => v.Candidate == node,
        MessageSent { Message: RequestVote m } => m.From == node,
        MessageDelivered { Message: RequestVote m } => m.From == node,
        MessageDropped { Message: RequestVote m } => m.From == node,
        MessageSent { Message: RequestVoteReply m } => m.To == node,
        MessageDelivered { Message: RequestVoteReply m } => m.To == node,
        MessageDropped { Message: RequestVoteReply m } => m.To == node,
        _ => false,
    };

    /// <summary>The summary line: what was folded and how to see it.</summary>
    public static string Describe(Fold fold) =>
        $"{fold.Node} timed out and started {fold.Attempts} more election{(fold.Attempts == 1 ? "" : "s")} before this one "
        + $"(term{(fold.FirstTerm == fold.LastTerm ? $" {fold.FirstTerm}" : $"s {fold.FirstTerm}–{fold.LastTerm}")}) and won none; "
        + $"folded into this line: pick {fold.Node} to see each.";
}
