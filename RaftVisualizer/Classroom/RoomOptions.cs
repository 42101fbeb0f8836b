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

    /// <summary>A room's pump pauses itself after this long without a presenter command, so a forgotten room costs no CPU.</summary>
    public TimeSpan PauseWhenIdleFor { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>A room with no presenter activity for this long is closed even while viewers are connected.</summary>
    public TimeSpan PresenterIdleTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Rooms one client (an address) may have open at once. Callers that give no client identity are not counted.</summary>
    public int MaxOpenRoomsPerClient { get; set; } = 3;
    /// <summary>Rooms one client may create within <see cref="RoomCreationWindow"/>, open or since closed.</summary>
    public int MaxRoomCreationsPerClient { get; set; } = 10;
    public TimeSpan RoomCreationWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Hub calls one connection may make in a burst (a token bucket of this size)...</summary>
    public int HubCallBurst { get; set; } = 40;
    /// <summary>...refilled at this many calls a second.</summary>
    public double HubCallsPerSecond { get; set; } = 10;
    /// <summary>The largest message a hub client may send (SignalR's MaximumReceiveMessageSize).</summary>
    public int MaxHubMessageBytes { get; set; } = 32 * 1024;

    /// <summary>Distinct keys a room's store may hold.</summary>
    public int MaxKeysPerRoom { get; set; } = 200;
    /// <summary>Bytes (keys and values, UTF-8) a room's store may hold.</summary>
    public int MaxKvBytesPerRoom { get; set; } = 256 * 1024;
    /// <summary>Client operations of one room waiting for their answer at once.</summary>
    public int MaxOperationsInFlightPerRoom { get; set; } = 32;
    /// <summary>
    /// What a room may be sent over its whole life: the sum, over every client operation, of its key and
    /// value bytes plus <see cref="Room.OperationOverheadBytes"/>. Bounds the logs, the history and the scenario.
    /// </summary>
    public int MaxWriteBytesPerRoom { get; set; } = 2 * 1024 * 1024;
}
