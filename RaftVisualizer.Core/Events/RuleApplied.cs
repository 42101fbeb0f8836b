namespace RaftVisualizer.Core.Events;

/// <summary>One rule applied by one server at one moment: what the rules card lights.</summary>
public sealed record RuleApplied(TimeSpan Time, NodeId Node, Cause Cause)
{
    public RaftRule Rule => Cause.Rule;

    /// <summary>
    /// The rule a server applied in this event, if the event records one. A client's attempt counts
    /// when a server's answer sent it on (§8): a redirect, or a refusal that named no leader.
    /// </summary>
    public static RuleApplied? Of(ClusterEvent? e) => e is not null && TryRead(e, out var node, out var cause) ? new(e.Time, node, cause) : null;

    /// <summary>As <see cref="Of"/>, without building the record (the cluster's ledger reads every event).</summary>
    internal static bool TryRead(ClusterEvent e, out NodeId node, out Cause cause)
    {
        (node, var found) = e switch
        {
            RoleChanged { Cause: { } c } r => (r.Node, c),
            TermChanged { Cause: { } c } t => (t.Node, c),
            LogTruncated { Cause: { } c } t => (t.Node, c),
            CommitAdvanced { Cause: { } c } a => (a.Node, c),
            EntryAppended { Cause: { } c } a => (a.Node, c),
            EntryApplied { Cause: { } c } a => (a.Node, c),
            ConfigurationChanged { Cause: { } c } g => (g.Node, c),
            MessageSent { Message: RequestVoteReply { Cause: { } c } r } => (r.From, c),
            MessageSent { Message: AppendEntriesReply { Cause: { } c } r } => (r.From, c),
            MessageSent { Message: AppendEntries { Cause: { } c } a } => (a.From, c),
            ClientRequestSent { Cause: { Route: ClientRoute.Redirected or ClientRoute.NoLeaderKnown, From: { } server } c } => (server, c),
            _ => (default(NodeId), (Cause?)null),
        };
        cause = found!;
        return found is not null;
    }
}
