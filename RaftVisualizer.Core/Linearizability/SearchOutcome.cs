namespace RaftVisualizer.Core.Linearizability;

/// <summary>Verdict of the search over one key's history.</summary>
internal enum SearchOutcome
{
    Linearizable,
    NotLinearizable,
    OutOfTime,
}
