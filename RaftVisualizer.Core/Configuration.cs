namespace RaftVisualizer.Core;

/// <summary>
/// Who is in the cluster (Ongaro's thesis, chapter 4): the voters, whose majority commits entries
/// and elects leaders, and the learners, who receive the log but do not vote until promoted.
/// Both lists are sorted. A server uses the newest configuration in its log, committed or not.
/// </summary>
public sealed record Configuration
{
    /// <summary>The most servers a cluster can hold (ids S1 to S9).</summary>
    public const int MaxServers = 9;

    public Configuration(IEnumerable<NodeId> voters, IEnumerable<NodeId>? learners = null)
    {
        Voters = voters.Distinct().Order().ToArray();
        Learners = (learners ?? []).Distinct().Where(l => !Voters.Contains(l)).Order().ToArray();
    }

    /// <summary>Every one of S1..S<paramref name="count"/> votes: the configuration a cluster starts with.</summary>
    public static Configuration Initial(int count) => new(Enumerable.Range(1, count).Select(i => new NodeId(i)));

    public IReadOnlyList<NodeId> Voters { get; }
    public IReadOnlyList<NodeId> Learners { get; }

    /// <summary>Voters and learners: every server the leader replicates to.</summary>
    public IEnumerable<NodeId> Members => Voters.Concat(Learners).Order();

    /// <summary>How many voters make a majority.</summary>
    public int Majority => Voters.Count / 2 + 1;

    public bool IsVoter(NodeId id) => Voters.Contains(id);
    public bool IsLearner(NodeId id) => Learners.Contains(id);
    public bool Contains(NodeId id) => IsVoter(id) || IsLearner(id);

    public Configuration WithLearner(NodeId id) => new(Voters, Learners.Append(id));
    public Configuration Promote(NodeId id) => new(Voters.Append(id), Learners.Where(l => l != id));
    public Configuration Without(NodeId id) => new(Voters.Where(v => v != id), Learners.Where(l => l != id));

    /// <summary>How many servers vote in one configuration and not the other: one-at-a-time changes differ by at most one.</summary>
    public int VoterDifference(Configuration other) =>
        Voters.Count(v => !other.IsVoter(v)) + other.Voters.Count(v => !IsVoter(v));

    public bool Equals(Configuration? other) =>
        other is not null && Voters.SequenceEqual(other.Voters) && Learners.SequenceEqual(other.Learners);

    public override int GetHashCode() => HashCode.Combine(Voters.Count, Learners.Count, Voters.Count > 0 ? Voters[^1] : default);

    /// <summary>As a log prints it: <c>config S1 S2 S3 +S4</c> (a learner after +).</summary>
    public override string ToString() =>
        "config " + string.Join(" ", Voters) + string.Concat(Learners.Select(l => $" +{l}"));
}
