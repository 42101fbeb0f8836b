namespace RaftVisualizer.Core;

/// <summary>One log entry: its position, the term it was created in, and the command.</summary>
public sealed record LogEntry(long Index, long Term, KvCommand Command, ClientSession? Session = null)
{
    public override string ToString() => $"{Index}:t{Term} {Command}";
}
