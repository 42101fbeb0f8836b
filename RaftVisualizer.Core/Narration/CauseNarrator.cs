using System.Globalization;
using RaftVisualizer.Core.Events;

namespace RaftVisualizer.Core.Narration;

/// <summary>
/// Words a <see cref="Cause"/>: why a server did something, with the paper's section (for the
/// feed and the message details), and the values the rule compared (for the rules card).
/// Everything is read from the cause's fields; nothing is parsed out of a sentence.
/// </summary>
public static class CauseNarrator
{
    /// <summary>Why, as the end of a sentence about <paramref name="self"/>, with the section: "S4's log ends in term 2, S2's in term 3 (§5.4.1)".</summary>
    public static string Why(Cause cause, NodeId self) => $"{Reason(cause, self)} ({RuleBook.Section(cause.Rule)})";

    private static string Reason(Cause cause, NodeId self) => cause switch
    {
        VoteTermStale v => $"{v.Candidate}'s term {v.Term} is older than {self}'s term {v.CurrentTerm}",
        VoteAlreadyCast v => $"{self} already voted for {v.VotedFor} in term {v.Term}",
        VoteLogBehind v => LogsCompared(v.Candidate, v.CandidateLog, self, v.VoterLog),
        VoteGiven v => $"{self} has not voted for another candidate in term {v.Term}, and {v.Candidate}'s log (ends {v.CandidateLog}) is at least as up to date as {Possessive(self)} (ends {v.VoterLog})",
        VoteGuarded g => (g.NotAVoter ? $"{g.Candidate} is not a voter in {Possessive(self)} configuration, and " : "") + Guard(g, self),
        PreVoteDecided p => PreVote(p, self),
        AppendTermStale a => $"{a.Leader}'s term {a.Term} is older than {Possessive(self)} term {a.CurrentTerm}",
        AppendPrevMismatch { LocalTerm: { } local } a => $"{Possessive(self)} entry {a.PrevLogIndex} has term {local}, not the prevLogTerm {a.PrevLogTerm} {a.Leader} sent",
        AppendPrevMismatch a => $"{self} has no entry at prevLogIndex {a.PrevLogIndex}: its log ends at index {a.LastIndex}",
        AppendMatched a => a.PrevLogIndex == 0
            ? $"{Possessive(a.Leader)} entries start at the beginning of the log, so {self} takes them and holds entries up to {a.MatchIndex}"
            : $"{Possessive(self)} entry {a.PrevLogIndex} has the prevLogTerm {a.PrevLogTerm}, so {self} takes {Possessive(a.Leader)} entries and holds entries up to {a.MatchIndex}",
        ConflictTruncated t => $"{Possessive(self)} entry {t.Index} has term {t.LocalTerm}, {Possessive(t.Leader)} has term {t.LeaderTerm}, so it and all after it go",
        CommitFromLeader c => $"leader {c.Leader} has committed up to {c.LeaderCommit}, and {Possessive(self)} newest entry from it is {c.LastNewIndex}",
        HigherTermSeen h => $"{Possessive(h.From)} {h.MessageKind} carried term {h.Term}, newer than {Possessive(self)} term {h.OldTerm}",
        ElectionTimedOut => $"{Possessive(self)} election timer ran out without word from a leader",
        ElectionWon w => $"{w.Voters} voted for it: {Votes(w.Voters.Count)}, and a majority needs {w.Majority}",
        NewLeaderSeen n => $"{n.Leader} is the leader of term {n.Term}: its AppendEntries reached {self}",
        CommittedByMajority m => $"{m.Holders} hold it ({m.Holders.Count} servers; a majority needs {m.Majority})"
            + (m.EntryTerm == m.CurrentTerm ? $", and it is from the current term {m.CurrentTerm}" : $", though it is from term {m.EntryTerm}, not the current term {m.CurrentTerm} (a broken rule)"),
        PreVoteWon p => $"{p.Voters} would vote for it in term {p.ProposedTerm}: {Votes(p.Voters.Count)}, and a majority needs {p.Majority}",
        QuorumLost q => $"{self} heard from only {q.Heard} of the {q.Majority} servers a majority needs within {Millis(q.Within)} (check-quorum)",
        RemovedFromConfig r => $"the configuration without {self} (entry {r.Index}) has committed",
        HandedLeadership h => $"{h.From} handed it leadership with TimeoutNow",
        ConfigAdopted c => Adopted(c, self),
        AppliedCommitted a => $"entry {a.Index} is committed ({Possessive(self)} commit index is {a.CommitIndex}), so it goes to the state machine",
        HeartbeatSent { Purpose: HeartbeatPurpose.UponElection } h => $"{self} was just elected leader of term {h.Term}: the first heartbeat tells every server who leads",
        HeartbeatSent { Purpose: HeartbeatPurpose.ConfirmRead } => $"a read by ReadIndex waits for a majority to answer this round, to be sure {self} still leads",
        HeartbeatSent => $"{self} has nothing new to send, and repeats its heartbeat so that no follower times out",
        EntriesFromNextIndex e => $"{Possessive(e.Follower)} nextIndex {e.NextIndex} is at or below {Possessive(self)} last index {e.LastIndex}",
        NextIndexBackedOff { Fast: true } b => $"{b.Follower} refused for log inconsistency and said its conflicting entries are of term {b.ConflictTerm} from index {b.ConflictIndex}, so nextIndex jumps back from {b.OldNext} to {b.NewNext} (fast backtracking)",
        NextIndexBackedOff b => $"{b.Follower} refused for log inconsistency, so nextIndex walks back one entry, from {b.OldNext} to {b.NewNext}, and {self} retries",
        ClientCommandAppended c => $"client #{c.OperationId}'s command reached the leader, which appends it and answers once it is applied",
        NoOpAppended n => $"{self} starts term {n.Term} with a blank entry: committing it commits every earlier entry",
        ClientRouted r => Routed(r),
        _ => cause.Rule.ToString(),
    };

    /// <summary>
    /// The values the rule compared and what it decided, Figure 2's names for them:
    /// "term 3 &lt; currentTerm 4 → reply false".
    /// </summary>
    public static string Comparison(Cause cause) => cause switch
    {
        VoteTermStale v => $"term {v.Term} < currentTerm {v.CurrentTerm} → reply false",
        VoteAlreadyCast v => $"votedFor {v.VotedFor} ≠ candidateId {v.Candidate} in term {v.Term} → reply false",
        VoteLogBehind v => UpToDate(v.CandidateLog, v.VoterLog) + " → reply false",
        VoteGiven v => $"votedFor null or {v.Candidate}; {UpToDate(v.CandidateLog, v.VoterLog)} → grant vote",
        VoteGuarded g => $"{GuardValues(g)} → ignore the request for term {g.Term}",
        PreVoteDecided p => PreVoteValues(p),
        AppendTermStale a => $"term {a.Term} < currentTerm {a.CurrentTerm} → reply false",
        AppendPrevMismatch { LocalTerm: { } local } a => $"log[{a.PrevLogIndex}].term {local} ≠ prevLogTerm {a.PrevLogTerm} → reply false",
        AppendPrevMismatch a => $"no entry at prevLogIndex {a.PrevLogIndex} (log ends at {a.LastIndex}) → reply false",
        AppendMatched a => (a.PrevLogIndex == 0 ? "prevLogIndex 0 matches" : $"log[{a.PrevLogIndex}].term = prevLogTerm {a.PrevLogTerm}") + $" → append, match up to {a.MatchIndex}, reply true",
        ConflictTruncated t => $"log[{t.Index}].term {t.LocalTerm} ≠ new entry's term {t.LeaderTerm} → delete entry {t.Index} and all after it",
        CommitFromLeader c => $"leaderCommit {c.LeaderCommit} > commitIndex {c.OldCommit} → commitIndex = min({c.LeaderCommit}, {c.LastNewIndex}) = {Math.Min(c.LeaderCommit, c.LastNewIndex)}",
        HigherTermSeen h => $"{h.MessageKind} term {h.Term} > currentTerm {h.OldTerm} → currentTerm = {h.Term}, follower",
        ElectionTimedOut e => $"election timeout elapsed in term {e.OldTerm} → start an election",
        ElectionWon w => $"votes {w.Voters}: {w.Voters.Count} ≥ majority {w.Majority} → leader of term {w.Term}",
        NewLeaderSeen n => $"AppendEntries from {n.Leader}, term {n.Term} = currentTerm → follower",
        CommittedByMajority m => $"matchIndex ≥ {m.Index} on {m.Holders}: {m.Holders.Count} ≥ majority {m.Majority}; log[{m.Index}].term {m.EntryTerm} "
            + (m.EntryTerm == m.CurrentTerm ? "=" : "≠") + $" currentTerm {m.CurrentTerm} → commitIndex = {m.Index}",
        PreVoteWon p => $"pre-votes {p.Voters}: {p.Voters.Count} ≥ majority {p.Majority} → candidate for term {p.ProposedTerm}",
        QuorumLost q => $"heard from {q.Heard} < majority {q.Majority} within {Millis(q.Within)} → step down",
        RemovedFromConfig r => $"configuration without this server committed at entry {r.Index} → step down",
        HandedLeadership h => $"TimeoutNow from {h.From} → start an election now",
        AppliedCommitted a => $"commitIndex {a.CommitIndex} > lastApplied {a.Index - 1} → lastApplied = {a.Index}, apply log[{a.Index}]",
        HeartbeatSent h => $"{HeartbeatWhen(h.Purpose)} in term {h.Term} → empty AppendEntries to each server",
        EntriesFromNextIndex e => $"last log index {e.LastIndex} ≥ nextIndex {e.NextIndex} for {e.Follower} → send {Entries(e.Count)} from {e.NextIndex}",
        NextIndexBackedOff { Fast: true } b => $"{b.Follower} failed, conflict term {b.ConflictTerm} from index {b.ConflictIndex} → nextIndex {b.OldNext} → {b.NewNext}, retry",
        NextIndexBackedOff b => $"{b.Follower} failed (inconsistent log) → nextIndex {b.OldNext} → {b.NewNext}, retry",
        ClientCommandAppended c => $"command of client #{c.OperationId} received → append to the local log",
        NoOpAppended n => $"elected in term {n.Term} → append a no-op of term {n.Term}",
        ConfigAdopted { Source: ConfigSource.EntriesCutOff } c => $"newer configuration entry cut off → fall back to the newest left, entry {c.Index}",
        ConfigAdopted c => $"newest configuration in the log: entry {c.Index} ({Source(c.Source)}) → use it now, committed or not",
        ClientRouted r => RoutedValues(r),
        _ => cause.ToString(),
    };

    /// <summary>§5.4.1: the later last term wins; with equal last terms, the longer log.</summary>
    private static string LogsCompared(NodeId candidate, LogEnd theirs, NodeId self, LogEnd ours) => theirs.Term != ours.Term
        ? $"{Possessive(candidate)} log ends in term {theirs.Term}, {Possessive(self)} in term {ours.Term}"
        : $"both logs end in term {ours.Term}, but {Possessive(candidate)} at index {theirs.Index} and {Possessive(self)} at index {ours.Index}";

    private static string UpToDate(LogEnd theirs, LogEnd ours) => theirs.Term != ours.Term
        ? $"lastLogTerm {theirs.Term} {(theirs.Term > ours.Term ? ">" : "<")} receiver's {ours.Term}"
        : $"lastLogTerm {theirs.Term} = {ours.Term}, lastLogIndex {theirs.Index} {(theirs.Index >= ours.Index ? "≥" : "<")} receiver's {ours.Index}";

    private static string Guard(VoteGuarded g, NodeId self) => g.Why switch
    {
        VoteGuardReason.Leads => $"{self} leads term {g.CurrentTerm} itself",
        VoteGuardReason.HeardFromLeader => $"{self} heard from leader {g.Leader} within the minimum election timeout (leader stickiness)",
        _ => $"{self} (re)started less than the minimum election timeout ago and may still owe a leader its lease",
    };

    private static string GuardValues(VoteGuarded g) => g.Why switch
    {
        VoteGuardReason.Leads => $"receiver leads term {g.CurrentTerm}",
        VoteGuardReason.HeardFromLeader => $"heard from leader {g.Leader} < election timeout ago",
        _ => "restarted < election timeout ago",
    } + (g.NotAVoter ? $", {g.Candidate} not a voter" : "");

    private static string PreVote(PreVoteDecided p, NodeId self) => p.Refusal switch
    {
        PreVoteRefusal.None => $"its proposed term {p.ProposedTerm} is newer than {Possessive(self)} term {p.CurrentTerm}, {self} hears no leader, and {Possessive(p.Candidate)} log (ends {p.CandidateLog}) is at least as up to date",
        PreVoteRefusal.TermNotNewer => $"{Possessive(p.Candidate)} proposed term {p.ProposedTerm} is not newer than {Possessive(self)} term {p.CurrentTerm}",
        PreVoteRefusal.HeardFromLeader => $"{self} heard from leader {p.Leader} recently",
        PreVoteRefusal.LeaderStillLeads => $"{self} leads term {p.CurrentTerm} and still hears from a majority",
        _ => LogsCompared(p.Candidate, p.CandidateLog, self, p.VoterLog),
    };

    private static string PreVoteValues(PreVoteDecided p) => p.Refusal switch
    {
        PreVoteRefusal.None => $"proposed term {p.ProposedTerm} > currentTerm {p.CurrentTerm}, no leader heard, {UpToDate(p.CandidateLog, p.VoterLog)} → would vote",
        PreVoteRefusal.TermNotNewer => $"proposed term {p.ProposedTerm} ≤ currentTerm {p.CurrentTerm} → would not vote",
        PreVoteRefusal.HeardFromLeader => $"heard from leader {p.Leader} < election timeout ago → would not vote",
        PreVoteRefusal.LeaderStillLeads => $"receiver leads term {p.CurrentTerm} → would not vote",
        _ => UpToDate(p.CandidateLog, p.VoterLog) + " → would not vote",
    };

    private const string UsesNewest = "a server uses the newest configuration in its log at once, committed or not";

    private static string Adopted(ConfigAdopted c, NodeId self) => c.Source switch
    {
        ConfigSource.Proposed => $"the leader appended it, and {UsesNewest}",
        ConfigSource.LearnerCaughtUp => $"{c.From} caught up with the leader (it holds entry {c.Matched}), so the leader makes it a voter; {UsesNewest}",
        ConfigSource.LeaderEntries => $"it came in {Possessive(c.From)} entries, and {UsesNewest}",
        ConfigSource.EntriesCutOff => $"{Possessive(c.From)} entries cut off a newer configuration entry that had not committed, so {self} falls back to the newest one left in its log",
        _ => $"it came with {Possessive(c.From)} snapshot, and {UsesNewest}",
    };

    private static string Source(ConfigSource source) => source switch
    {
        ConfigSource.Proposed => "appended by the leader",
        ConfigSource.LearnerCaughtUp => "a learner caught up",
        ConfigSource.LeaderEntries => "from the leader's entries",
        _ => "from the leader's snapshot",
    };

    private static string Routed(ClientRouted r) => r.Route switch
    {
        ClientRoute.Random => "the client picked a server at random: a client may start with any server",
        ClientRoute.Told => "the client was told to use it",
        ClientRoute.Redirected => $"{r.From} is not the leader and named {r.Leader}, the leader it last heard from",
        ClientRoute.NoLeaderKnown => $"{r.From} is not the leader and knew of none it could trust, so the client tries the next server",
        _ => $"{r.From} did not answer in time, so the client tries the next server",
    };

    private static string RoutedValues(ClientRouted r) => r.Route switch
    {
        ClientRoute.Random => "first attempt → a server at random",
        ClientRoute.Told => "first attempt → the server asked for",
        ClientRoute.Redirected => $"{r.From} not the leader, leaderHint {r.Leader} → client retries at {r.Leader}",
        ClientRoute.NoLeaderKnown => $"{r.From} not the leader, no leaderHint → client tries the next server",
        _ => $"no answer from {r.From} in time → client tries the next server",
    };

    private static string HeartbeatWhen(HeartbeatPurpose purpose) => purpose switch
    {
        HeartbeatPurpose.UponElection => "upon election",
        HeartbeatPurpose.ConfirmRead => "a ReadIndex round",
        _ => "heartbeat interval passed",
    };

    private static string Entries(int n) => n == 1 ? "1 entry" : $"{n} entries";

    private static string Votes(int n) => n == 1 ? "1 vote" : $"{n} votes";

    private static string Millis(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static string Possessive(NodeId? id) => $"{id}'s";
}
