namespace RaftVisualizer.Core.Linearizability;

/// <summary>The kind of a key/value client operation.</summary>
public enum KvOpKind
{
    Get,
    Put,
    Append,
    Delete,
}
