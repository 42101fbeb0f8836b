using System.Text;
using Microsoft.Playwright;

namespace RaftVisualizer.Tests.Harness;

/// <summary>Counts the Blazor render batches (and their bytes) a page receives over its circuit's WebSocket.</summary>
internal sealed class RenderBatchCounter
{
    private static readonly byte[] RenderBatch = Encoding.UTF8.GetBytes("JS.RenderBatch");
    private int _batches;
    private long _bytes;

    public int Batches => Volatile.Read(ref _batches);
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Counts one WebSocket frame if it carries a render batch (binary MessagePack or text JSON).</summary>
    public void Count(IWebSocketFrame frame)
    {
        var length = frame.Binary is { } bytes && bytes.AsSpan().IndexOf(RenderBatch) >= 0 ? bytes.Length
            : frame.Text is { } text && text.Contains("JS.RenderBatch", StringComparison.Ordinal) ? text.Length
            : -1;
        if (length < 0) return;
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _bytes, length);
    }
}
