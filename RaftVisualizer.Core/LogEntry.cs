using RaftVisualizer.Core.Kv;

namespace RaftVisualizer.Core;

/// <summary>
/// One log entry: its position, the term it was created in, and the command. A configuration
/// entry (membership change) carries <paramref name="Config"/> and a no-op command.
/// </summary>
public sealed record LogEntry(long Index, long Term, KvCommand Command, ClientSession? Session = null, Configuration? Config = null)
{
    /// <summary>What the entry does, as a log prints it: <c>put x=1</c>, <c>no-op</c>, <c>config S1 S2 +S3</c>.</summary>
    public string Text => Config?.ToString() ?? Command.ToString();

    public override string ToString() => $"{Index}:t{Term} {Text}";
}
