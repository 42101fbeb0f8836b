using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RaftVisualizer.Classroom;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Classroom;

/// <summary>The real app, with every log line at Information and above recorded, to see how refusals are logged.</summary>
public sealed class LoggedAppFixture : KestrelAppFixture
{
    public LogRecorder Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(Logs));
}

public sealed record LogLine(string Category, LogLevel Level, string Message, Exception? Exception);

public sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<LogLine> Lines { get; } = new();
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    private sealed class Logger(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), exception));
    }
}

/// <summary>
/// The hub answers bad input with one clear sentence and keeps the room running: each case over a real
/// socket with the SignalR client, then a check that the room still runs (batches keep arriving, and a
/// valid command from the presenter still works).
/// </summary>
public sealed class ClusterHubRefusalTests(LoggedAppFixture app) : IClassFixture<LoggedAppFixture>, IAsyncLifetime
{
    private readonly List<HubConnection> _connections = new();
    private readonly List<Room> _created = new();
    private RoomRegistry Rooms => app.Services.GetRequiredService<RoomRegistry>();
    private RoomOptions Limits => Rooms.Options;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var c in _connections) await c.DisposeAsync();
        foreach (var r in _created) Rooms.Close(r.Code, "the test ended");
    }

    private sealed class Viewer
    {
        public ConcurrentQueue<EventBatchDto> Batches { get; } = new();
        public ConcurrentQueue<string> Closures { get; } = new();
        public TaskCompletionSource<Exception?> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public HubConnection Connection { get; init; } = null!;
    }

    private async Task<Viewer> ConnectAsync(string? join = null)
    {
        var connection = new HubConnectionBuilder().WithUrl(app.Url(ClusterHub.Path)).Build();
        _connections.Add(connection);
        var viewer = new Viewer { Connection = connection };
        connection.On<EventBatchDto>(nameof(IClusterClient.Events), b => viewer.Batches.Enqueue(b));
        connection.On<string>(nameof(IClusterClient.RoomClosed), r => viewer.Closures.Enqueue(r));
        connection.Closed += e =>
        {
            viewer.Closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        if (join is not null) await connection.InvokeAsync<JoinResultDto>("JoinRoom", join);
        return viewer;
    }

    private Room NewRoom()
    {
        var created = Rooms.Create(speed: 1);
        Assert.True(created.Ok, created.Refusal);
        _created.Add(created.Room!);
        return created.Room!;
    }

    /// <summary>A fresh presenter connection still drives the room, and a viewer's batches keep coming with simulated time moving on.</summary>
    private async Task AssertRoomStillRunsAsync(Room room, Viewer watcher)
    {
        var before = watcher.Batches.Count;
        var lastNow = watcher.Batches.LastOrDefault()?.NowMs ?? 0;
        var presenter = await ConnectAsync();
        var healed = await presenter.Connection.InvokeAsync<string>("Heal", room.Code, room.PresenterKey);
        Assert.Equal("Every link works again.", healed);
        await Eventually.TrueAsync(() => watcher.Batches.Count >= before + 3 && watcher.Batches.Last().NowMs > lastNow, "batches keep arriving");
        Assert.False(room.IsClosed);
    }

    private static async Task<string> RefusalAsync(Func<Task> call) => (await Assert.ThrowsAsync<HubException>(call)).Message;

    [Fact]
    public async Task A_command_for_an_unknown_room_is_refused_and_other_rooms_run_on()
    {
        var room = NewRoom();
        var viewer = await ConnectAsync(join: room.Code);

        var refusal = await RefusalAsync(() => viewer.Connection.InvokeAsync<string>("Crash", "QQQQQQ", room.PresenterKey, 1));

        Assert.Contains("There is no open room 'QQQQQQ'. Check the 6-character code on the projector; the room may have closed.", refusal);
        await AssertRoomStillRunsAsync(room, viewer);
    }

    [Fact]
    public async Task A_malformed_call_is_refused_and_the_connection_and_room_keep_working()
    {
        var room = NewRoom();
        var viewer = await ConnectAsync(join: room.Code);

        var wrongType = await RefusalAsync(() => viewer.Connection.InvokeAsync<string>("Crash", room.Code, room.PresenterKey, "the leader"));
        var missing = await RefusalAsync(() => viewer.Connection.InvokeAsync<string>("Crash", room.Code));
        var unknown = await RefusalAsync(() => viewer.Connection.InvokeAsync<string>("Explode", room.Code));
        var still = await viewer.Connection.InvokeAsync<string>("Crash", room.Code, room.PresenterKey, 1);

        Assert.Contains("Failed to invoke 'Crash' due to an error on the server. InvalidDataException: Error binding arguments.", wrongType);
        Assert.Contains("Invocation provides 1 argument(s) but target expects 3.", missing);
        Assert.Contains("Failed to invoke 'Explode' due to an error on the server. HubException: Method does not exist.", unknown);
        Assert.StartsWith("S1 crashed", still);
        await AssertRoomStillRunsAsync(room, viewer);
    }

    [Fact]
    public async Task An_oversized_message_closes_only_that_connection_with_the_reason()
    {
        var room = NewRoom();
        var watcher = await ConnectAsync(join: room.Code);
        var sender = await ConnectAsync(join: room.Code);

        var send = sender.Connection.InvokeAsync<string>("Put", room.Code, room.PresenterKey, "big", new string('x', Limits.MaxHubMessageBytes + 1));
        var closedWith = await sender.Closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await Assert.ThrowsAnyAsync<Exception>(() => send);

        Assert.NotNull(closedWith);
        Assert.Contains($"The maximum message size of {Limits.MaxHubMessageBytes}B was exceeded.", closedWith.Message);
        Assert.Equal(0, room.Pump.Read(c => c.History.Count));
        await AssertRoomStillRunsAsync(room, watcher);
    }

    [Theory]
    [InlineData("Crash", 9)]
    [InlineData("Restart", 0)]
    [InlineData("Crash", -3)]
    public async Task Crash_or_restart_of_an_unknown_server_is_refused(string command, int node)
    {
        var room = NewRoom();
        var viewer = await ConnectAsync(join: room.Code);

        var refusal = await RefusalAsync(() => viewer.Connection.InvokeAsync<string>(command, room.Code, room.PresenterKey, node));

        Assert.Contains($"There is no node S{node}: this cluster has S1 to S5.", refusal);
        Assert.All(room.Pump.Read(c => c.Nodes.Select(n => n.IsUp).ToArray()), Assert.True);
        await AssertRoomStillRunsAsync(room, viewer);
    }

    [Theory]
    [InlineData("")]
    [InlineData("wrong-key-0123456789")]
    public async Task A_wrong_or_empty_presenter_key_is_refused_and_the_presenter_still_drives(string key)
    {
        var room = NewRoom();
        var viewer = await ConnectAsync(join: room.Code);

        var crash = await RefusalAsync(() => viewer.Connection.InvokeAsync<string>("Crash", room.Code, key, 1));
        var close = await RefusalAsync(() => viewer.Connection.InvokeAsync<string>("CloseRoom", room.Code, key));

        Assert.Contains(ClusterHub.WatchOnly, crash);
        Assert.Contains(ClusterHub.WatchOnly, close);
        Assert.True(room.Pump.Read(c => c.Nodes[0].IsUp));
        await AssertRoomStillRunsAsync(room, viewer);
    }

    [Fact]
    public async Task A_flood_from_one_connection_is_rate_limited_and_the_room_runs_on()
    {
        var room = NewRoom();
        var watcher = await ConnectAsync(join: room.Code);
        var flooder = await ConnectAsync();

        var calls = Enumerable.Range(0, Limits.HubCallBurst * 3)
            .Select(_ => flooder.Connection.InvokeAsync<bool>("CheckPresenterKey", room.Code, "guess")).ToArray();
        var outcomes = await Task.WhenAll(calls.Select(async c =>
        {
            try { await c; return null; }
            catch (HubException e) { return e.Message; }
        }));
        var refused = outcomes.Where(o => o is not null).ToArray();

        Assert.InRange(refused.Length, Limits.HubCallBurst, Limits.HubCallBurst * 2);
        Assert.All(refused, r => Assert.Contains(
            $"Too many calls from this connection: the limit is {Limits.HubCallBurst} at once and {Limits.HubCallsPerSecond:0.#} a second after that. Wait a moment and try again.", r));
        // The bucket refills: after a pause this connection is served again.
        await Task.Delay(TimeSpan.FromSeconds(1.5 / Limits.HubCallsPerSecond));
        Assert.False(await flooder.Connection.InvokeAsync<bool>("CheckPresenterKey", room.Code, "guess"));
        await AssertRoomStillRunsAsync(room, watcher);
        // One line for the whole flood, not one per refusal.
        Assert.Single(app.Logs.Lines, l => l.Message.Contains($"Connection {flooder.Connection.ConnectionId} is over its hub call rate"));
    }

    [Theory]
    [InlineData("[[]]", "Group 1 is empty: each group names at least one server, e.g. [[1,2],[3,4,5]].")]
    [InlineData("[null]", "Group 1 is null: each group is a list of server numbers, e.g. [[1,2],[3,4,5]].")]
    [InlineData("[[1,2],[]]", "Group 2 is empty: each group names at least one server, e.g. [[1,2],[3,4,5]].")]
    [InlineData("[]", "Give the groups, e.g. [[1,2],[3,4,5]]; servers in no group stand alone.")]
    [InlineData("[[1,2],[2,3]]", "S2 is named more than once; a server can be in only one group.")]
    [InlineData("[[1,2,6],[3,9]]", "There is no server S6 and S9: this cluster has S1 to S5.")]
    public async Task Partition_groups_are_checked_before_they_reach_the_cluster(string json, string expected)
    {
        var room = NewRoom();
        var viewer = await ConnectAsync(join: room.Code);
        var groups = System.Text.Json.JsonSerializer.Deserialize<int[][]>(json)!;

        var refusal = await RefusalAsync(() => viewer.Connection.InvokeAsync<string>("Partition", room.Code, room.PresenterKey, groups));

        Assert.EndsWith(expected, refusal);
        Assert.False(room.Pump.Read(c => c.Network.IsDisturbed));
        await AssertRoomStillRunsAsync(room, viewer);
    }

    [Fact]
    public async Task A_partition_naming_thousands_of_unknown_servers_gets_a_short_answer_and_a_short_log_line()
    {
        var room = NewRoom();
        var viewer = await ConnectAsync(join: room.Code);
        var groups = new[] { new[] { 1, 2 }, Enumerable.Range(100, 4000).ToArray() };

        var refusal = await RefusalAsync(() => viewer.Connection.InvokeAsync<string>("Partition", room.Code, room.PresenterKey, groups));

        Assert.EndsWith("There is no server S100, S101, S102 and 3997 more: this cluster has S1 to S5.", refusal);
        Assert.True(refusal.Length < 200, refusal);
        await Eventually.TrueAsync(() => app.Logs.Lines.Any(l => l.Message.Contains("S100, S101, S102 and 3997 more")), "the refusal logged");
        var logged = Assert.Single(app.Logs.Lines, l => l.Message.Contains("S100, S101, S102 and 3997 more"));
        Assert.Equal((LogLevel.Information, null), (logged.Level, logged.Exception));
        Assert.True(logged.Message.Length < 300, logged.Message);
        await AssertRoomStillRunsAsync(room, viewer);
    }

    [Fact]
    public async Task A_refused_call_is_logged_once_as_information_without_a_stack_trace_and_a_repeat_at_debug()
    {
        var room = NewRoom();
        var viewer = await ConnectAsync(join: room.Code);
        await viewer.Connection.InvokeAsync<string>("Crash", room.Code, room.PresenterKey, 3);

        await RefusalAsync(() => viewer.Connection.InvokeAsync<string>("Crash", room.Code, room.PresenterKey, 3));
        await RefusalAsync(() => viewer.Connection.InvokeAsync<string>("Crash", room.Code, room.PresenterKey, 3)); // the same again: Debug

        await Eventually.TrueAsync(() => app.Logs.Lines.Any(l => l.Message.Contains("S3 is already down.")), "the refusal logged");
        var lines = app.Logs.Lines.Where(l => l.Message.Contains("S3 is already down.") || l.Exception?.Message.Contains("S3 is already down.") == true).ToArray();
        var line = Assert.Single(lines);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Null(line.Exception);
        Assert.Equal($"Hub call Crash from {viewer.Connection.ConnectionId} refused: S3 is already down.", line.Message);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Level >= LogLevel.Error && l.Category == ClusterHubRegistration.DispatcherLogCategory);
    }

    [Fact]
    public async Task The_presenter_closes_the_room_and_every_viewer_is_told_why()
    {
        var room = NewRoom();
        var student = await ConnectAsync(join: room.Code);
        var presenter = await ConnectAsync(join: room.Code);

        var answer = await presenter.Connection.InvokeAsync<string>("CloseRoom", room.Code, room.PresenterKey);

        Assert.Equal($"Room {room.Code} is closed.", answer);
        await Eventually.TrueAsync(() => student.Closures.Count == 1, "the student is told the room closed");
        Assert.Equal($"Room {room.Code} was closed: {RoomRegistry.ClosedByPresenter}", student.Closures.Single());
        Assert.True(room.IsClosed);
        var late = await RefusalAsync(() => student.Connection.InvokeAsync<JoinResultDto>("JoinRoom", room.Code));
        Assert.Contains($"There is no open room '{room.Code}'", late);
    }
}
