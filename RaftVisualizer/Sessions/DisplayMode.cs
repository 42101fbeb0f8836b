namespace RaftVisualizer.Sessions;

/// <summary>
/// How this page is shown, per circuit: dark or light (the system's preference until the user
/// toggles it, then remembered in the browser) and projector mode (large type, high contrast,
/// secondary panels folded). The layout and the workbench share it; both re-render on change.
/// </summary>
public sealed class DisplayMode
{
    public bool Dark { get; private set; }
    public bool Projector { get; private set; }

    public event Action? Changed;

    public void Set(bool dark, bool projector)
    {
        if (dark == Dark && projector == Projector) return;
        (Dark, Projector) = (dark, projector);
        Changed?.Invoke();
    }

    public void ToggleDark() => Set(!Dark, Projector);
    public void ToggleProjector() => Set(Dark, !Projector);
}
