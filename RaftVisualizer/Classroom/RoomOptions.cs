namespace RaftVisualizer.Classroom;

/// <summary>Limits and defaults for shared rooms (configuration section "Rooms").</summary>
public sealed class RoomOptions
{
    public const string Section = "Rooms";

    /// <summary>How many rooms may be open at once.</summary>
    public int MaxRooms { get; set; } = 20;
    /// <summary>How many viewers (hub clients and pages) one room accepts.</summary>
    public int MaxViewersPerRoom { get; set; } = 600;
    /// <summary>A room with no viewers and no presenter activity for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>How often the sweeper looks for idle rooms.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Nodes in a room created without a scenario.</summary>
    public int NodeCount { get; set; } = 5;
    /// <summary>Speed of a room created without one (1 = real time).</summary>
    public double Speed { get; set; } = 1;
}
