namespace RaftVisualizer.Core.Events;

/// <summary>One rule applied by one server at one moment: what the rules card lights.</summary>
public sealed record RuleApplied(TimeSpan Time, NodeId Node, Cause Cause)
{
    public RaftRule Rule => Cause.Rule;

    /// <summary>
    /// The rule a server applied in this event, if the event records one. A client's attempt counts
    /// when a server's answer sent it on (§8): a redirect, or a refusal that named no leader.
    /// </summary>
    public static RuleApplied? Of(ClusterEvent e) => e switch
    {
        RoleChanged { Cause: { } c } r => new(r.Time, r.Node, c),
        TermChanged { Cause: { } c } t => new(t.Time, t.Node, c),
        LogTruncated { Cause: { } c } t => new(t.Time, t.Node, c),
        CommitAdvanced { Cause: { } c } a => new(a.Time, a.Node, c),
        EntryAppended { Cause: { } c } a => new(a.Time, a.Node, c),
        EntryApplied { Cause: { } c } a => new(a.Time, a.Node, c),
        ConfigurationChanged { Cause: { } c } g => new(g.Time, g.Node, c),
        MessageSent { Message: RequestVoteReply { Cause: { } c } r } s => new(s.Time, r.From, c),
        MessageSent { Message: AppendEntriesReply { Cause: { } c } r } s => new(s.Time, r.From, c),
        MessageSent { Message: AppendEntries { Cause: { } c } a } s => new(s.Time, a.From, c),
        ClientRequestSent { Cause: { Route: ClientRoute.Redirected or ClientRoute.NoLeaderKnown, From: { } server } c } s => new(s.Time, server, c),
        _ => null,
    };
}
