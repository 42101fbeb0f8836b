namespace RaftVisualizer.Core.Safety;

/// <summary>The Raft properties the monitor checks: Figure 3's five and three more invariants.</summary>
public enum SafetyProperty
{
    ElectionSafety,
    LeaderAppendOnly,
    LogMatching,
    LeaderCompleteness,
    StateMachineSafety,
    TermsNeverDecrease,
    OneVotePerTerm,
    IndexOrder,
    OneChangeAtATime,
}

/// <summary>A broken property: which, when, at which event, and what happened in words.</summary>
public sealed record SafetyViolation(SafetyProperty Property, TimeSpan Time, long EventNumber, string Description)
{
    public override string ToString() => $"{Property} broken at {Time.TotalMilliseconds:0} ms (event #{EventNumber}): {Description}";
}

public static class SafetyPropertyText
{
    /// <summary>The property as the paper states it, for a student.</summary>
    public static string Describe(this SafetyProperty p) => p switch
    {
        SafetyProperty.ElectionSafety => "Election Safety: at most one leader can be elected in a given term.",
        SafetyProperty.LeaderAppendOnly => "Leader Append-Only: a leader never overwrites or deletes entries in its log; it only appends.",
        SafetyProperty.LogMatching => "Log Matching: if two logs contain an entry with the same index and term, the logs are identical up to that index.",
        SafetyProperty.LeaderCompleteness => "Leader Completeness: a committed entry is present in the logs of the leaders of all higher terms.",
        SafetyProperty.StateMachineSafety => "State Machine Safety: no two servers apply different entries at the same index.",
        SafetyProperty.TermsNeverDecrease => "A server's current term never decreases, even across restarts.",
        SafetyProperty.OneVotePerTerm => "A server votes for at most one candidate per term, even across restarts.",
        SafetyProperty.IndexOrder => "lastApplied ≤ commitIndex ≤ last log index on every server.",
        SafetyProperty.OneChangeAtATime => "Membership changes one server at a time: a leader proposes a configuration only after the previous one committed, and it differs by at most one voter.",
        _ => p.ToString(),
    };
}
