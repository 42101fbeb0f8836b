using RaftVisualizer.Core;

namespace RaftVisualizer.Sessions;

/// <summary>
/// One page's pointer from one view into another: the space-time diagram sets the message or server a
/// student clicked, and the canvas draws the same one highlighted. Per page (it hangs off the page's
/// <see cref="LiveCluster"/>), touched only on the page's renderer thread.
/// </summary>
public sealed class Highlight
{
    /// <summary>The message id picked, or null.</summary>
    public long? MessageId { get; private set; }
    /// <summary>The server picked (a mark's, or the sender of the message picked), or null.</summary>
    public NodeId? Server { get; private set; }

    /// <summary>Raised after every change, on the caller's thread.</summary>
    public event Action? Changed;

    public void Set(long? messageId, NodeId? server)
    {
        if (MessageId == messageId && Server == server) return;
        (MessageId, Server) = (messageId, server);
        Changed?.Invoke();
    }

    public void Clear() => Set(null, null);
}
