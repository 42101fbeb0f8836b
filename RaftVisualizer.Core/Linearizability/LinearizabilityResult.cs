namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// The result of <see cref="LinearizabilityChecker.Check"/>. On <see cref="LinearizabilityVerdict.NotLinearizable"/>,
/// <paramref name="FailingKey"/> names the key whose history has no valid order and
/// <paramref name="Counterexample"/> is a small failing subset of that key's operations.
/// </summary>
public sealed record LinearizabilityResult(
    LinearizabilityVerdict Verdict,
    string? FailingKey,
    IReadOnlyList<KvHistoryOp> Counterexample,
    string Explanation);
