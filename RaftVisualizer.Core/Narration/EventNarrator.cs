using System.Globalization;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.Narration;

/// <summary>
/// Tells a <see cref="ClusterEvent"/> in plain words, for the page's event feed and the hub's
/// viewers alike. Where a rule decided, the sentence says which, from the event's typed
/// <see cref="Cause"/>, with the paper's section: "S3 timed out and starts an election for term 4
/// (§5.2)", "S1 refuses S3's vote request for term 4: S1 already voted for S2 in term 4 (§5.2)".
/// Routine noise (timer resets, heartbeats) is told only when <c>verbose</c> is on; otherwise
/// <see cref="Describe(ClusterEvent, bool)"/> returns null.
/// </summary>
public static class EventNarrator
{
    /// <summary>The event in words, or null when it is routine noise.</summary>
    public static string? Describe(ClusterEvent e) => Describe(e, verbose: false);

    /// <summary>True when the feed tells the event by default: not routine noise such as a heartbeat or a timer reset.</summary>
    public static bool IsNews(ClusterEvent e) => Describe(e) is not null;

    /// <summary>The event in words; with <paramref name="verbose"/> routine noise is told as well.</summary>
    public static string? Describe(ClusterEvent e, bool verbose) => e switch
    {
        RoleChanged r => DescribeRole(r),
        // A candidate's own term bump is told by its RoleChanged; a term learnt from others is told here.
        TermChanged { Cause: HigherTermSeen h } t => $"{t.Node} moves to term {t.Term}: {CauseNarrator.Why(h, t.Node)}",
        TermChanged t => verbose ? $"{t.Node} moves to term {t.Term}: {t.Reason}" : null,
        // The vote itself is told where the voter decides (its reply, with the rule); this is the vote written down.
        VoteCast v when v.Voter == v.Candidate => verbose ? $"{v.Voter} votes for itself in term {v.Term}" : null,
        VoteCast v => verbose ? $"{v.Voter} records its vote for {v.Candidate} in term {v.Term}" : null,
        ElectionTimerReset t => !verbose ? null
            : t.Deadline is { } at ? $"{t.Node} resets its election timer: it fires at {Clock(at)} unless it hears from a leader"
            : $"{t.Node} stops its election timer (a leader needs none)",
        NodeCrashed c => $"{c.Node} crashed: it keeps its term, vote and log, and loses everything else",
        NodeRestarted r => $"{r.Node} restarted with term {r.Term} and {Entries(r.LogLength)} from its durable state",
        LeadershipTransferStarted t => $"{t.Leader} starts handing leadership to {t.Target}: it stops taking client requests and brings {t.Target} up to date",
        LeadershipTransferEnded { SteppedDown: true } t => $"{t.Leader}'s handover to {t.Target} ends: {t.Leader} stepped down because {t.Reason}",
        LeadershipTransferEnded t => $"{t.Leader} gives up handing leadership to {t.Target}: {t.Reason}",
        EntryAppended { Cause: { } cause } a => $"{a.Node} appends entry {a.Entry.Index} (term {a.Entry.Term}): {a.Entry.Text}: {CauseNarrator.Why(cause, a.Node)}",
        EntryAppended a => $"{a.Node} appends entry {a.Entry.Index} (term {a.Entry.Term}): {a.Entry.Text}",
        LogTruncated { Cause: { } cause } t => $"{t.Node} deletes {Entries(t.RemovedCount)} from index {t.FromIndex} on: {CauseNarrator.Why(cause, t.Node)}",
        LogTruncated t => $"{t.Node} deletes {Entries(t.RemovedCount)} from index {t.FromIndex} on: they conflict with the leader's log",
        CommitAdvanced { Cause: { } cause } c => $"{c.Node} commits up to entry {c.CommitIndex}: {CauseNarrator.Why(cause, c.Node)}",
        CommitAdvanced c => $"{c.Node} commits up to entry {c.CommitIndex}",
        EntryApplied { Entry.Config: { } config } a => $"{a.Node} applies entry {a.Entry.Index}: {config} (a configuration entry; the KV map does not change)",
        EntryApplied a => $"{a.Node} applies entry {a.Entry.Index}: {a.Entry.Command} → {Result(a.Result)}",
        MessageSent s => DescribeSent(s.Message, verbose),
        MessageDelivered d => DescribeDelivered(d.Message, verbose),
        MessageDropped d => IsRoutineDrop(d.Message) && !verbose ? null
            : $"{Possessive(d.Message.From)} {What(d.Message)} to {d.Message.To} is lost: {d.Reason}",
        NetworkChanged n => Capitalize(n.Description),
        ClientRequestStarted s => $"client #{s.OperationId}: {s.Command} starts",
        ClientRequestSent { Cause: { } why } s => s.Attempt == 1
            ? $"client #{s.OperationId}: asks {s.To}: {CauseNarrator.Why(why, s.To)}"
            : $"client #{s.OperationId}: attempt {s.Attempt} goes to {s.To}: {CauseNarrator.Why(why, s.To)}",
        ClientRequestSent s => s.Attempt == 1
            ? $"client #{s.OperationId}: asks {s.To} ({s.Why})"
            : $"client #{s.OperationId}: attempt {s.Attempt} goes to {s.To}, because {s.Why}",
        ServerAdded a => $"{a.Node} joins the cluster with an empty log: the leader adds it as a learner, which receives the log but does not vote until it has caught up",
        ConfigurationChanged c => DescribeConfig(c),
        SnapshotTaken t => $"{t.Node} takes a snapshot of its state up to entry {t.LastIndex} (term {t.LastTerm}) and drops {Entries(t.EntriesDropped)} from its log",
        SnapshotInstalled i => $"{i.Node} installs {Possessive(i.From)} snapshot up to entry {i.LastIndex} (term {i.LastTerm}, {i.Config}): {i.From} had compacted away the entries {i.Node} needed next"
            + (i.EntriesDiscarded > 0 ? $", and {i.Node} discards {Entries(i.EntriesDiscarded)} of its own" : ""),
        ClientRequestAnswered a => $"client #{a.OperationId}: {a.Command} → {Result(a.Result)}"
            + (a.ServedBy is { } by ? $" (served by {by} in {Millis(a.Elapsed)})" : $" (after {Millis(a.Elapsed)})"),
        _ => verbose ? e.ToString() : null,
    };

    /// <summary>Which filter chip an event belongs to.</summary>
    public static EventCategory Categorize(ClusterEvent e) => e switch
    {
        RoleChanged or TermChanged or VoteCast or ElectionTimerReset or LeadershipTransferStarted or LeadershipTransferEnded => EventCategory.Elections,
        ServerAdded or ConfigurationChanged => EventCategory.Membership,
        SnapshotTaken or SnapshotInstalled => EventCategory.Replication,
        MessageSent { Message: InstallSnapshot } or MessageDelivered { Message: InstallSnapshot } => EventCategory.Replication,
        NodeCrashed or NodeRestarted or NetworkChanged => EventCategory.Faults,
        EntryAppended or LogTruncated or CommitAdvanced or EntryApplied => EventCategory.Replication,
        ClientRequestStarted or ClientRequestSent or ClientRequestAnswered => EventCategory.Client,
        MessageDropped d => IsRoutineDrop(d.Message) ? EventCategory.Messages : EventCategory.Faults,
        // A reply is where the receiver's rule decided: votes are election news, refused appends replication news.
        MessageSent { Message: RequestVoteReply } or MessageDelivered { Message: RequestVoteReply { Granted: true, PreVote: false } } => EventCategory.Elections,
        MessageSent { Message: AppendEntriesReply { Success: false } } => EventCategory.Replication,
        _ => EventCategory.Messages,
    };

    /// <summary>The servers an event is about, for the feed's node filter.</summary>
    public static IEnumerable<NodeId> NodesOf(ClusterEvent e) => e switch
    {
        RoleChanged r => [r.Node],
        TermChanged t => [t.Node],
        VoteCast v => [v.Voter, v.Candidate],
        ElectionTimerReset t => [t.Node],
        NodeCrashed c => [c.Node],
        NodeRestarted r => [r.Node],
        LeadershipTransferStarted t => [t.Leader, t.Target],
        LeadershipTransferEnded t => [t.Leader, t.Target],
        EntryAppended a => [a.Node],
        LogTruncated t => [t.Node],
        CommitAdvanced c => [c.Node],
        EntryApplied a => [a.Node],
        MessageSent s => [s.Message.From, s.Message.To],
        MessageDelivered d => [d.Message.From, d.Message.To],
        MessageDropped d => [d.Message.From, d.Message.To],
        ClientRequestSent s => [s.To],
        ServerAdded a => [a.Node],
        ConfigurationChanged c => [c.Node],
        SnapshotTaken t => [t.Node],
        SnapshotInstalled i => [i.Node, i.From],
        ClientRequestAnswered { ServedBy: { } by } => [by],
        _ => [],
    };

    /// <summary>A simulated time as the page shows it: "1.234 s".</summary>
    public static string Clock(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    private static string DescribeRole(RoleChanged r) => (r.Role, r.Cause) switch
    {
        (NodeRole.Candidate, ElectionTimedOut c) => $"{r.Node} timed out and starts an election for term {r.Term} ({RuleBook.Section(c.Rule)})",
        (NodeRole.Candidate, { } c) => $"{r.Node} starts an election for term {r.Term}: {CauseNarrator.Why(c, r.Node)}",
        (NodeRole.PreCandidate, ElectionTimedOut) => $"{r.Node} timed out and asks for pre-votes for term {r.Term + 1} ({RuleBook.Section(RaftRule.PreVote)})",
        (NodeRole.Leader, ElectionWon c) => $"{r.Node} becomes leader of term {r.Term} with votes from {c.Voters}: {c.Voters.Count} of them, and a majority needs {c.Majority} ({RuleBook.Section(c.Rule)})",
        (NodeRole.Follower, HigherTermSeen c) => $"{r.Node} steps down to follower in term {r.Term}: {CauseNarrator.Why(c, r.Node)}",
        (NodeRole.Follower, (QuorumLost or RemovedFromConfig) and { } c) => $"{r.Node} steps down to follower in term {r.Term}: {CauseNarrator.Why(c, r.Node)}",
        (NodeRole.Follower, { } c) => $"{r.Node} is a follower in term {r.Term}: {CauseNarrator.Why(c, r.Node)}",
        (NodeRole.Candidate, null) => $"{r.Node} starts an election for term {r.Term}: {r.Reason}",
        (NodeRole.PreCandidate, _) => $"{r.Node} asks for pre-votes for term {r.Term + 1}: {r.Reason}",
        (NodeRole.Leader, _) => $"{r.Node} becomes leader of term {r.Term}: {r.Reason}",
        _ => $"{r.Node} is a follower in term {r.Term}: {r.Reason}",
    };

    /// <summary>A vote decided where the voter decides: its reply, with the rule that applied.</summary>
    private static string? DescribeVote(RequestVoteReply r, bool verbose) => r switch
    {
        { Cause: null } => verbose ? $"{r.From} answers {Possessive(r.To)} {r.Kind}: {r.Reason}" : null,
        { PreVote: true, Granted: true } => $"{r.From} would vote for {r.To} in term {r.Term}: {CauseNarrator.Why(r.Cause, r.From)}",
        { PreVote: true } => $"{r.From} refuses {Possessive(r.To)} pre-vote: {CauseNarrator.Why(r.Cause, r.From)}",
        { Granted: true } => $"{r.From} votes for {r.To} in term {r.Term}: {CauseNarrator.Why(r.Cause, r.From)}",
        { Cause: VoteGuarded g } => $"{r.From} ignores {Possessive(r.To)} vote request for term {g.Term}: {CauseNarrator.Why(g, r.From)}",
        _ => $"{r.From} refuses {Possessive(r.To)} vote request: {CauseNarrator.Why(r.Cause, r.From)}",
    };

    /// <summary>An AppendEntries decided: a refusal is news, an acceptance routine (the follower's appends tell it).</summary>
    private static string? DescribeAppendReply(AppendEntriesReply r, bool verbose) => r switch
    {
        { Cause: null } => verbose ? $"{r.From} answers {Possessive(r.To)} AppendEntries: {r.Reason}" : null,
        { Success: false } => $"{r.From} refuses {Possessive(r.To)} AppendEntries: {CauseNarrator.Why(r.Cause, r.From)}",
        _ => verbose ? $"{r.From} accepts {Possessive(r.To)} AppendEntries: {CauseNarrator.Why(r.Cause, r.From)}" : null,
    };

    private static string? DescribeSent(RaftMessage m, bool verbose) => m switch
    {
        RequestVote { PreVote: true } v => $"{v.From} asks {v.To} whether it would vote for it in term {v.Term}",
        RequestVote v => $"{v.From} asks {v.To} for its vote in term {v.Term} (its log ends at index {v.LastLogIndex}, term {v.LastLogTerm})",
        AppendEntries { IsHeartbeat: false } a => $"{a.From} sends {Range(a)} to {a.To} (term {a.Term}, commit {a.LeaderCommit})" + Because(a.Cause, a.From),
        AppendEntries a => verbose || a.Cause is NextIndexBackedOff ? $"{a.From} sends a heartbeat to {a.To} (term {a.Term}, commit {a.LeaderCommit})" + Because(a.Cause, a.From) : null,
        TimeoutNow t => $"{t.From} tells {t.To} to start an election now (TimeoutNow, term {t.Term}): {t.To}'s log is up to date",
        // Resent every heartbeat until answered (twenty a second to a server that is down): the install is the news.
        InstallSnapshot i => verbose ? $"{i.From} sends {i.To} its snapshot up to entry {i.Snapshot.LastIndex} (InstallSnapshot, term {i.Term}): the entries {i.To} needs next were compacted away" : null,
        RequestVoteReply r => DescribeVote(r, verbose),
        AppendEntriesReply r => DescribeAppendReply(r, verbose),
        _ => verbose ? $"{m.From} sends a {m.Kind} to {m.To}: {Reason(m)}" : null,
    };

    private static string? DescribeDelivered(RaftMessage m, bool verbose) => m switch
    {
        // The voter's decision was told when it replied; the candidate learning of a grant is news too.
        RequestVoteReply { PreVote: false, Granted: true } r => $"{r.To} receives {Possessive(r.From)} vote for term {r.Term}",
        RequestVoteReply r => verbose ? $"{r.To} hears {Possessive(r.From)} {(r.Granted ? "yes" : "no")} to its {(r.PreVote ? "pre-vote" : "vote request")}" : null,
        AppendEntriesReply r => verbose ? $"{r.To} hears {Possessive(r.From)} {(r.Success ? $"acknowledgement (it holds entries up to {r.MatchIndex})" : "refusal")}" : null,
        AppendEntries { IsHeartbeat: true } a => verbose ? $"{a.To} hears {Possessive(a.From)} heartbeat for term {a.Term}" : null,
        TimeoutNow t => $"{t.To} receives {Possessive(t.From)} TimeoutNow and starts an election at once",
        InstallSnapshotReply r => verbose ? $"{r.From} tells {r.To} it now holds everything up to entry {r.LastIndex}" : null,
        _ => verbose ? $"{m.To} receives {Possessive(m.From)} {m.Kind}" : null,
    };

    /// <summary>
    /// A leader resends AppendEntries on every heartbeat, so while a follower is down or cut off
    /// their loss repeats twenty times a second; the crash or cut itself is the news.
    /// </summary>
    private static bool IsRoutineDrop(RaftMessage m) => m is AppendEntries or AppendEntriesReply or InstallSnapshot or InstallSnapshotReply;

    private static string What(RaftMessage m) => m switch
    {
        RequestVote { PreVote: true } => "pre-vote request",
        RequestVote => "vote request",
        RequestVoteReply { PreVote: true } => "pre-vote reply",
        RequestVoteReply => "vote reply",
        AppendEntries { IsHeartbeat: true } => "heartbeat",
        AppendEntries a => $"AppendEntries with {Range(a)}",
        AppendEntriesReply => "AppendEntries reply",
        TimeoutNow => "TimeoutNow",
        InstallSnapshot i => $"snapshot up to entry {i.Snapshot.LastIndex}",
        _ => m.Kind,
    };

    private static string Reason(RaftMessage m) => m switch
    {
        RequestVoteReply r => r.Reason,
        AppendEntriesReply r => r.Reason,
        _ => m.Kind,
    };

    /// <summary>A configuration reached a server: the leader proposed it, it came in the leader's entries, or with a snapshot.</summary>
    private static string DescribeConfig(ConfigurationChanged c)
    {
        var voters = c.Config.Voters.Count;
        var what = $"{c.Node} now follows {c.Config} (entry {c.Index}, {voters} voter{(voters == 1 ? "" : "s")}, a majority is {c.Config.Majority})";
        var where = c.Config.Contains(c.Node) ? "" : $"; {c.Node} is no longer a member";
        return $"{what}: {(c.Cause is { } cause ? CauseNarrator.Why(cause, c.Node) : c.Reason)}{where}";
    }

    private static string Because(Cause? cause, NodeId self) => cause is null ? "" : $": {CauseNarrator.Why(cause, self)}";

    private static string Range(AppendEntries a) => a.Entries.Count == 1
        ? $"entry {a.Entries[0].Index}"
        : $"entries {a.Entries[0].Index}–{a.Entries[^1].Index}";

    private static string Entries(long n) => n == 1 ? "1 log entry" : $"{n} log entries";

    private static string Result(KvResult r) => r.Status switch
    {
        KvStatus.Ok => r.Value is null ? "ok" : $"ok \"{r.Value}\"",
        KvStatus.NotFound => "not found",
        KvStatus.Rejected => $"rejected ({r.Message})",
        _ => $"timed out ({r.Message})",
    };

    private static string Millis(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static string Possessive(NodeId id) => $"{id}'s";

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
