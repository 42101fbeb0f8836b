using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>
/// One Raft server as a pure state machine, in the style of etcd's raft: it is stepped by a
/// message, a timer or a client request together with the current simulated time, and answers
/// through its <see cref="INodeHost"/>. Split by concern into partial files.
/// </summary>
internal sealed partial class RaftNode
{
    private readonly NodeId[] _peers;
    private readonly ClusterOptions _options;
    private readonly SimRandom _random;
    private readonly INodeHost _host;
    /// <summary>How fast this server's clock runs against simulated time (see <see cref="ClusterOptions.ClockDrift"/>).</summary>
    private readonly double _clockRate;
    private TimeSpan _now;
    /// <summary>When this node (re)started: the vote guard holds for an election timeout after it.</summary>
    private TimeSpan _startedAt;

    public RaftNode(NodeId id, IEnumerable<NodeId> allNodes, ClusterOptions options, DurableState durable, SimRandom random, INodeHost host,
        double clockRate = 1)
    {
        _clockRate = clockRate;
        Id = id;
        _peers = allNodes.Where(n => n != id).OrderBy(n => n).ToArray();
        var slots = _peers.Append(id).Max(n => n.Value) + 1; // leader state is indexed by node number
        _nextIndex = new long[slots];
        _matchIndex = new long[slots];
        _ackedRound = new long[slots];
        _lastAck = new TimeSpan[slots];
        _options = options;
        Durable = durable;
        _random = random;
        _host = host;
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

    private int Majority => (_peers.Length + 1) / 2 + 1;

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
        }
    }

    public void OnElectionTimeout(TimeSpan now)
    {
        _now = now;
        if (Role == NodeRole.Leader) return;
        if (_options.PreVote) BecomePreCandidate("its election timer ran out");
        else BecomeCandidate("its election timer ran out");
    }

    public void OnHeartbeatTimeout(TimeSpan now)
    {
        _now = now;
        if (Role != NodeRole.Leader) return;
        if (_options.CheckQuorum && !HeardFromMajority())
        {
            BecomeFollower($"it has not heard from a majority within {_options.ElectionTimeoutMin.TotalMilliseconds:0} ms (check-quorum)");
            return;
        }
        CheckTransferDeadline();
        BroadcastRound();
        _host.SetHeartbeatTimer(Id, _now + _options.HeartbeatInterval);
    }

    /// <summary>This server's own clock now: simulated time scaled by its rate.</summary>
    private TimeSpan LocalNow => Local(_now);

    private TimeSpan Local(TimeSpan real) => _clockRate == 1 ? real : TimeSpan.FromTicks((long)(real.Ticks * _clockRate));

    /// <summary>The simulated time that passes while this server's clock advances by <paramref name="local"/>.</summary>
    private TimeSpan RealFor(TimeSpan local) => _clockRate == 1 ? local : TimeSpan.FromTicks((long)Math.Ceiling(local.Ticks / _clockRate));

    private void ResetElectionTimer()
    {
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

    /// <summary>Adopts a higher term seen in a message (§5.1): clear the vote, become a follower.</summary>
    private void ObserveTerm(long term, string reason)
    {
        if (term <= Term) return;
        Durable.CurrentTerm = term;
        Durable.VotedFor = null;
        _host.Emit(new TermChanged(_now, Id, term, reason));
        if (Role != NodeRole.Follower) BecomeFollower(reason);
    }

    private void BecomeFollower(string reason)
    {
        var wasLeader = Role == NodeRole.Leader;
        Role = NodeRole.Follower;
        LeaderId = null;
        if (wasLeader) StepDownAsLeader(reason);
        _host.Emit(new RoleChanged(_now, Id, Role, Term, reason));
        ResetElectionTimer();
    }
}
