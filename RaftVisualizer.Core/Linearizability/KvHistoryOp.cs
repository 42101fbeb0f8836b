namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// One completed-or-open client operation. Times are any monotonically comparable long (simulated ticks).
/// </summary>
/// <param name="Id">Identifier of the operation, used in reports.</param>
/// <param name="ClientId">The client that issued the operation.</param>
/// <param name="Kind">What the operation does.</param>
/// <param name="Key">The key the operation touches.</param>
/// <param name="Input">The value for Put/Append (null for Get/Delete).</param>
/// <param name="Output">For Get the value read; null means the key was absent.</param>
/// <param name="Call">When the client invoked the operation.</param>
/// <param name="Return">
/// When the client saw the reply; null means open-ended (e.g. a write that timed out: it may
/// or may not have happened, so it may be linearized anywhere after its call, or never).
/// </param>
public sealed record KvHistoryOp(
    int Id,
    int ClientId,
    KvOpKind Kind,
    string Key,
    string? Input,
    string? Output,
    long Call,
    long? Return);
