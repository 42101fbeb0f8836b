using RaftVisualizer.Core;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Components.Cluster;

/// <summary>One sentence per Raft concept a student meets on the page, shown as its tooltip.</summary>
public static class Concepts
{
    public const string Term = "Term: Raft's logical clock. Each election starts a new term; a server that sees a higher term adopts it and steps down. At most one leader per term.";
    public const string VotedFor = "votedFor: whom this server voted for in its current term (kept on disk, so a restart cannot vote twice).";
    public const string CommitIndex = "Commit index: the highest log entry known to be stored on a majority; it can never be lost, and may be applied.";
    public const string LastApplied = "Last applied: the highest entry this server has applied to its key/value store (never past the commit index).";
    public const string NextIndex = "nextIndex: the leader's guess of the next entry to send this follower; it backs off when the follower's log does not match.";
    public const string MatchIndex = "matchIndex: the highest entry the leader knows this follower's log shares with its own; a majority of these decides the commit index.";
    public const string Learner = "Learner: a new server that receives the log but does not vote or count for a majority until it has caught up.";
    public const string Configuration = "Configuration: the servers that vote (a majority of them commits entries and elects leaders) and, after +, the learners catching up. It changes one server at a time through the leader's log, and a server follows the newest one in its log.";
    public const string Removed = "Removed: this server is no longer in the configuration. The leader sends it nothing and its votes do not count; it can be stopped.";
    public const string Snapshot = "Snapshot: the state machine (KV map, client sessions, configuration) as of one log index. The entries up to it are dropped from the log; a follower that needs them gets the snapshot (InstallSnapshot) instead.";
    public const string ConfigurationEntry = "A configuration entry: it changes who is in the cluster. Each server follows it as soon as it is in its log, committed or not.";
    public const string Heartbeat = "Heartbeat: an AppendEntries with no entries, sent by the leader every heartbeat interval so followers do not time out and start an election.";
    public const string ElectionTimer = "Election timer: when it runs out without hearing from a leader, this follower becomes a candidate and asks for votes.";
}
