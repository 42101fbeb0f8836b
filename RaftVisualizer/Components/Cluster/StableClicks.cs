using RaftVisualizer.Core;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Click handlers that stay the same delegate from one render to the next for the same item. A lambda
/// written in the markup (<c>@onclick="() => Pick(item)"</c>) is a new delegate at every render, so Blazor
/// sees every element's handler as changed and re-sends each of them (a new handler id, the old one
/// disposed) even where nothing else moved; with the same delegate, an unchanged element costs nothing.
/// Call <see cref="NextRender"/> before each render: handlers of items no longer drawn are let go.
/// </summary>
public sealed class StableClicks<TKey> where TKey : notnull
{
    private Dictionary<TKey, Action> _current = new();
    private Dictionary<TKey, Action> _previous = new();

    /// <summary>The handler for <paramref name="key"/>: the one of the last render if there was one, else a new one from <paramref name="make"/>.</summary>
    public Action For(TKey key, Func<Action> make)
    {
        ArgumentNullException.ThrowIfNull(make);
        if (_current.TryGetValue(key, out var handler)) return handler;
        if (!_previous.Remove(key, out handler)) handler = make();
        _current[key] = handler;
        return handler;
    }

    /// <summary>Starts a render: what the last render used is kept for it, the rest let go.</summary>
    public void NextRender()
    {
        (_previous, _current) = (_current, _previous);
        _current.Clear();
    }
}
