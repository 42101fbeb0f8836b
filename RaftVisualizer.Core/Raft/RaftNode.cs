using RaftVisualizer.Core.Clients;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Kv;
using RaftVisualizer.Core.Simulation;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.Raft;

/// <summary>
/// One Raft server as a pure state machine, in the style of etcd's raft: it is stepped by a
/// message, a timer or a client request together with the current simulated time, and answers
/// through its <see cref="INodeHost"/>. Split by concern into partial files.
/// </summary>
internal sealed partial class RaftNode
{
    /// <summary>Every member of the configuration but this server, by id: whom a leader replicates to.</summary>
    private NodeId[] _peers = [];
    private NodeSet _peerSet;
    /// <summary>The configuration the cluster started with, in force until a configuration entry reaches the log.</summary>
    private readonly Configuration _initialConfig;
    /// <summary>The configuration this server acts on now (the newest in its log); see <see cref="ConfigMaybeChanged"/>.</summary>
    private Configuration _activeConfig;
    private readonly ClusterOptions _options;
    private readonly SimRandom _random;
    private readonly INodeHost _host;
    /// <summary>How fast this server's clock runs against simulated time (see <see cref="ClusterOptions.ClockDrift"/>).</summary>
    private readonly double _clockRate;
    private TimeSpan _now;
    /// <summary>When this node (re)started: the vote guard holds for an election timeout after it.</summary>
    private TimeSpan _startedAt;

    /// <summary>Leader state is indexed by node number: slot 0 unused, then S1 to S9.</summary>
    private const int IdSlots = Configuration.MaxServers + 1;

    public RaftNode(NodeId id, Configuration initialConfig, ClusterOptions options, DurableState durable, SimRandom random, INodeHost host,
        double clockRate = 1)
    {
        _clockRate = clockRate;
        Id = id;
        _initialConfig = initialConfig;
        _nextIndex = new long[IdSlots];
        _matchIndex = new long[IdSlots];
        _ackedRound = new long[IdSlots];
        _lastAck = new TimeSpan[IdSlots];
        _options = options;
        Durable = durable;
        _random = random;
        _host = host;
        _activeConfig = Config;
        SetPeers(_activeConfig);
        if (durable.Snapshot is { } snapshot) // a restart begins from the snapshot, then replays the log as it commits
        {
            Kv.Restore(snapshot.State);
            CommitIndex = LastApplied = snapshot.LastIndex;
        }
    }

    public NodeId Id { get; }
    public DurableState Durable { get; }
    public NodeRole Role { get; private set; } = NodeRole.Follower;
    public long Term => Durable.CurrentTerm;
    public NodeId? VotedFor => Durable.VotedFor;
    public RaftLog Log => Durable.Log;
    public NodeId? LeaderId { get; private set; }
    public long CommitIndex { get; private set; }
    public long LastApplied { get; private set; }
    public KvStore Kv { get; } = new();
    public TimeSpan? ElectionDeadline { get; private set; }
    public IReadOnlyList<NodeId> Peers => _peers;

    /// <summary>The newest configuration in this server's log (or its snapshot), else the cluster's initial one.</summary>
    public Configuration Config => Log.LatestConfig ?? _initialConfig;

    /// <summary>Whether this server votes (and so may stand for election) in its own configuration.</summary>
    public bool IsVoter => _activeConfig.IsVoter(Id);

    private int Majority => _activeConfig.Majority;

    /// <summary>
    /// Whether this server runs an election timer and may stand for election: a voter, or a server
    /// removed by a configuration that has not committed yet while it voted in the one before, since
    /// it may still be needed until that entry commits (thesis section 4.2.2). Its own vote counts
    /// only when it is a voter.
    /// </summary>
    private bool MayCampaign => IsVoter || (ChangePending && (Log.ConfigAt(Log.LatestConfigIndex - 1) ?? _initialConfig).IsVoter(Id));

    /// <summary>Starts (or restarts) the node as a follower with a fresh election timer.</summary>
    public void Start(TimeSpan now, string reason)
    {
        _now = now;
        _startedAt = now;
        Role = NodeRole.Follower;
        _host.Emit(new RoleChanged(now, Id, Role, Term, reason));
        ResetElectionTimer();
    }

    public void Step(RaftMessage message, TimeSpan now)
    {
        _now = now;
        switch (message)
        {
            case RequestVote m: OnRequestVote(m); break;
            case RequestVoteReply m: OnRequestVoteReply(m); break;
            case AppendEntries m: OnAppendEntries(m); break;
            case AppendEntriesReply m: OnAppendEntriesReply(m); break;
            case TimeoutNow m: OnTimeoutNow(m); break;
            case InstallSnapshot m: OnInstallSnapshot(m); break;
            case InstallSnapshotReply m: OnInstallSnapshotReply(m); break;
        }
    }

    public void OnElectionTimeout(TimeSpan now)
    {
        _now = now;
        if (Role == NodeRole.Leader) return;
        if (!MayCampaign)
        {
            StopElectionTimer(); // its removal has committed since the timer was set
            return;
        }
        var cause = new ElectionTimedOut(Term);
        if (_options.PreVote) BecomePreCandidate("its election timer ran out", cause);
        else BecomeCandidate("its election timer ran out", cause);
    }

    public void OnHeartbeatTimeout(TimeSpan now)
    {
        _now = now;
        if (Role != NodeRole.Leader) return;
        if (_options.CheckQuorum && HeardFrom() is var heard && heard < Majority)
        {
            BecomeFollower($"it has not heard from a majority within {_options.ElectionTimeoutMin.TotalMilliseconds:0} ms (check-quorum)",
                new QuorumLost(heard, Majority, _options.ElectionTimeoutMin));
            return;
        }
        CheckTransferDeadline();
        BroadcastRound(HeartbeatPurpose.Idle);
        _host.SetHeartbeatTimer(Id, _now + _options.HeartbeatInterval);
    }

    /// <summary>This server's own clock now: simulated time scaled by its rate.</summary>
    private TimeSpan LocalNow => Local(_now);

    private TimeSpan Local(TimeSpan real) => _clockRate == 1 ? real : TimeSpan.FromTicks((long)(real.Ticks * _clockRate));

    /// <summary>The simulated time that passes while this server's clock advances by <paramref name="local"/>.</summary>
    private TimeSpan RealFor(TimeSpan local) => _clockRate == 1 ? local : TimeSpan.FromTicks((long)Math.Ceiling(local.Ticks / _clockRate));

    private void ResetElectionTimer()
    {
        if (!MayCampaign)
        {
            // A learner or a removed server never stands for election, so it runs no timer.
            if (ElectionDeadline is not null) StopElectionTimer();
            return;
        }
        ElectionDeadline = _now + RealFor(_random.NextDuration(_options.ElectionTimeoutMin, _options.ElectionTimeoutMax));
        _host.SetElectionTimer(Id, ElectionDeadline);
        _host.Emit(new ElectionTimerReset(_now, Id, ElectionDeadline));
    }

    private void StopElectionTimer()
    {
        ElectionDeadline = null;
        _host.SetElectionTimer(Id, null);
        _host.Emit(new ElectionTimerReset(_now, Id, null));
    }

    /// <summary>Adopts a higher term seen in message <paramref name="m"/> (§5.1): clear the vote, become a follower.</summary>
    private void ObserveTerm(RaftMessage m, string reason)
    {
        var term = m.Term;
        if (term <= Term) return;
        var cause = new HigherTermSeen(m.From, m.Kind, term, Term);
        Durable.CurrentTerm = term;
        Durable.VotedFor = null;
        _host.Emit(new TermChanged(_now, Id, term, reason, cause));
        if (Role != NodeRole.Follower) BecomeFollower(reason, cause);
    }

    private void BecomeFollower(string reason, Cause cause)
    {
        var wasLeader = Role == NodeRole.Leader;
        Role = NodeRole.Follower;
        LeaderId = null;
        if (wasLeader) StepDownAsLeader(reason);
        _host.Emit(new RoleChanged(_now, Id, Role, Term, reason, cause));
        ResetElectionTimer();
    }
}
