namespace RaftVisualizer.Core;

public enum KvStatus { Ok, NotFound, Rejected, Timeout }

/// <summary>The answer to a client operation: ok (with the value for a Get), not found, rejected (with why) or timeout.</summary>
public sealed record KvResult(KvStatus Status, string? Value = null, string? Message = null)
{
    private static readonly KvResult OkWithoutValue = new(KvStatus.Ok);
    public static KvResult Ok(string? value = null) => value is null ? OkWithoutValue : new(KvStatus.Ok, value);
    public static readonly KvResult NotFound = new(KvStatus.NotFound);
    public static KvResult Rejected(string message) => new(KvStatus.Rejected, null, message);
    public static KvResult TimedOut(string message) => new(KvStatus.Timeout, null, message);

    public override string ToString() => Status switch
    {
        KvStatus.Ok => Value is null ? "ok" : $"ok \"{Value}\"",
        KvStatus.NotFound => "not found",
        KvStatus.Rejected => $"rejected: {Message}",
        _ => $"timeout: {Message}",
    };
}
