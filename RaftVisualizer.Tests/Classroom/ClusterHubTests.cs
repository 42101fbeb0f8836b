using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Classroom;

/// <summary>The classroom hub over a real socket with the SignalR .NET client.</summary>
public sealed class ClusterHubTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>, IAsyncLifetime
{
    private readonly List<HubConnection> _connections = new();
    private readonly List<Room> _created = new();
    private RoomRegistry Rooms => app.Services.GetRequiredService<RoomRegistry>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var c in _connections) await c.DisposeAsync();
        foreach (var r in _created) Rooms.Close(r.Code, "the test ended"); // stay under the room cap
    }

    private sealed class Viewer
    {
        public ConcurrentQueue<RoomSnapshotDto> Snapshots { get; } = new();
        public ConcurrentQueue<EventBatchDto> Batches { get; } = new();
        public HubConnection Connection { get; init; } = null!;

        public bool Saw(Func<EventDto, bool> match) => Batches.Any(b => b.Events.Any(match));
        public NodeBriefDto? LatestNode(int id) => Batches.LastOrDefault()?.Nodes.Single(n => n.Id == id);
    }

    private async Task<Viewer> ConnectAsync()
    {
        var connection = new HubConnectionBuilder().WithUrl(app.Url(ClusterHub.Path)).Build();
        _connections.Add(connection);
        var viewer = new Viewer { Connection = connection };
        connection.On<RoomSnapshotDto>(nameof(IClusterClient.Snapshot), s => viewer.Snapshots.Enqueue(s));
        connection.On<EventBatchDto>(nameof(IClusterClient.Events), b => viewer.Batches.Enqueue(b));
        await connection.StartAsync();
        return viewer;
    }

    private Room NewRoom()
    {
        var created = Rooms.Create(speed: 1);
        Assert.True(created.Ok, created.Refusal);
        _created.Add(created.Room!);
        return created.Room!;
    }

    [Fact]
    public async Task Joining_sends_a_full_snapshot_then_small_event_batches()
    {
        var room = NewRoom();
        var viewer = await ConnectAsync();

        var joined = await viewer.Connection.InvokeAsync<JoinResultDto>("JoinRoom", room.Code.ToLowerInvariant());
        await Eventually.TrueAsync(() => viewer.Snapshots.Count == 1 && viewer.Batches.Count >= 5, "a snapshot and five batches");

        var snapshot = viewer.Snapshots.Single();
        Assert.Equal((room.Code, 1, 600), (joined.Room, joined.Viewers, joined.MaxViewers));
        Assert.Equal(room.Code, snapshot.Room);
        Assert.Equal([1, 2, 3, 4, 5], snapshot.Nodes.Select(n => n.Id));
        Assert.All(snapshot.Nodes, n => Assert.True(n.Up));
        Assert.All(snapshot.Messages, m => Assert.True(m.ArrivesMs >= m.SentMs));
        var batches = viewer.Batches.ToArray();
        Assert.All(batches, b => Assert.True(b.Events.Count <= ClassroomMapper.MaxEventsPerBatch && b.Nodes.Count == 5));
        Assert.Equal(batches.Select(b => b.Seq).Order(), batches.Select(b => b.Seq));
        await Eventually.TrueAsync(() => viewer.Saw(e => e.Kind == "MessageSent" && e.ArrivesMs > e.TimeMs), "a MessageSent event with its arrival time");
    }

    [Fact]
    public async Task Joining_an_unknown_room_is_refused_with_a_clear_message()
    {
        var viewer = await ConnectAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => viewer.Connection.InvokeAsync<JoinResultDto>("JoinRoom", "QQQQQQ"));

        Assert.Contains("There is no open room 'QQQQQQ'. Check the 6-character code on the projector; the room may have closed.", error.Message);
    }

    [Theory]
    [InlineData("Crash", null)]
    [InlineData("Restart", null)]
    [InlineData("Heal", null)]
    [InlineData("Partition", null)]
    [InlineData("Put", null)]
    [InlineData("SetSpeed", null)]
    [InlineData("Pause", null)]
    [InlineData("Resume", null)]
    [InlineData("Crash", "")]
    [InlineData("Crash", "wrong-key-0123456789")]
    public async Task Presenter_commands_without_the_key_are_refused_and_change_nothing(string command, string? key)
    {
        var room = NewRoom();
        var viewer = await ConnectAsync();
        await viewer.Connection.InvokeAsync<JoinResultDto>("JoinRoom", room.Code);
        var badKey = key ?? room.PresenterKey[..^1] + (room.PresenterKey[^1] == 'A' ? 'B' : 'A');

        var error = await Assert.ThrowsAsync<HubException>(() => command switch
        {
            "Crash" or "Restart" => viewer.Connection.InvokeAsync<string>(command, room.Code, badKey, 1),
            "Partition" => viewer.Connection.InvokeAsync<string>(command, room.Code, badKey, new[] { new[] { 1 }, new[] { 2, 3, 4, 5 } }),
            "Put" => viewer.Connection.InvokeAsync<string>(command, room.Code, badKey, "k", "v"),
            "SetSpeed" => viewer.Connection.InvokeAsync<string>(command, room.Code, badKey, 5.0),
            _ => viewer.Connection.InvokeAsync<string>(command, room.Code, badKey),
        });

        Assert.Contains("This room is watch-only without the presenter key.", error.Message);
        var state = room.Pump.Read(c => (c.Nodes[0].IsUp, c.Network.IsDisturbed, c.History.Count));
        Assert.Equal((true, false, 0), state);
        Assert.Equal((1.0, false), (room.Pump.Speed, room.Pump.IsPaused));
    }

    [Fact]
    public async Task With_the_key_a_presenter_crashes_a_node_and_every_viewer_sees_it()
    {
        var room = NewRoom();
        var presenter = await ConnectAsync();
        var student = await ConnectAsync();
        await presenter.Connection.InvokeAsync<JoinResultDto>("JoinRoom", room.Code);
        await student.Connection.InvokeAsync<JoinResultDto>("JoinRoom", room.Code);
        await Eventually.TrueAsync(() => student.Batches.Count > 0, "the student's first batch");

        var message = await presenter.Connection.InvokeAsync<string>("Crash", room.Code, room.PresenterKey, 2);
        await Eventually.TrueAsync(() => student.Saw(e => e.Kind == "NodeCrashed" && e.Node == 2), "the student sees S2 crash");
        await Eventually.TrueAsync(() => student.LatestNode(2) is { Up: false, Role: "Down" }, "S2 drawn as down");
        var refused = await Assert.ThrowsAsync<HubException>(() => presenter.Connection.InvokeAsync<string>("Crash", room.Code, room.PresenterKey, 2));

        Assert.StartsWith("S2 crashed", message);
        Assert.Contains("S2 is already down.", refused.Message);
    }

    [Fact]
    public async Task A_late_joiner_is_correct_at_once()
    {
        var room = NewRoom();
        var presenter = await ConnectAsync();
        await presenter.Connection.InvokeAsync<string>("Crash", room.Code, room.PresenterKey, 4);
        await presenter.Connection.InvokeAsync<string>("Partition", room.Code, room.PresenterKey, new[] { new[] { 1, 2 }, new[] { 3, 4, 5 } });

        var late = await ConnectAsync();
        await late.Connection.InvokeAsync<JoinResultDto>("JoinRoom", room.Code);
        await Eventually.TrueAsync(() => late.Snapshots.Count == 1, "the join snapshot");

        var snapshot = late.Snapshots.Single();
        Assert.False(snapshot.Nodes.Single(n => n.Id == 4).Up);
        Assert.Equal("Down", snapshot.Nodes.Single(n => n.Id == 4).Role);
        Assert.Equal("[[1,2],[3,4,5]]", System.Text.Json.JsonSerializer.Serialize(snapshot.Groups));
    }

    [Fact]
    public async Task Presenter_put_goes_through_raft_and_speed_and_pause_apply()
    {
        var room = NewRoom();
        var presenter = await ConnectAsync();
        await presenter.Connection.InvokeAsync<JoinResultDto>("JoinRoom", room.Code);

        var submitted = await presenter.Connection.InvokeAsync<string>("Put", room.Code, room.PresenterKey, "topic", "<b>raft</b>");
        await Eventually.TrueAsync(() => presenter.Saw(e => e.Kind == "ClientRequestAnswered" && e.Text.Contains("put topic=<b>raft</b> → ok") && e.News),
            "the put answered ok in the event stream");
        var tooLong = await Assert.ThrowsAsync<HubException>(() => presenter.Connection.InvokeAsync<string>("Put", room.Code, room.PresenterKey, new string('k', 200), "v"));
        var speed = await presenter.Connection.InvokeAsync<string>("SetSpeed", room.Code, room.PresenterKey, 0.5);
        var badSpeed = await Assert.ThrowsAsync<HubException>(() => presenter.Connection.InvokeAsync<string>("SetSpeed", room.Code, room.PresenterKey, -1.0));
        var paused = await presenter.Connection.InvokeAsync<string>("Pause", room.Code, room.PresenterKey);

        Assert.StartsWith("Submitted put topic=<b>raft</b> as operation #", submitted);
        Assert.Contains("The key is 200 characters long; the limit is 128.", tooLong.Message);
        Assert.Equal("Speed is now 0.5×.", speed);
        Assert.Contains("Speed must be a positive number", badSpeed.Message);
        Assert.Equal("Paused.", paused);
        Assert.True(room.Pump.IsPaused);
        Assert.True(await presenter.Connection.InvokeAsync<bool>("CheckPresenterKey", room.Code, room.PresenterKey));
        Assert.False(await presenter.Connection.InvokeAsync<bool>("CheckPresenterKey", room.Code, "nope"));
    }

    [Fact]
    public async Task Disconnecting_frees_the_viewer_slot()
    {
        var room = NewRoom();
        var viewer = await ConnectAsync();
        await viewer.Connection.InvokeAsync<JoinResultDto>("JoinRoom", room.Code);
        Assert.Equal(1, room.HubViewers);

        await viewer.Connection.StopAsync();

        await Eventually.TrueAsync(() => room.HubViewers == 0, "the room forgets the closed connection");
    }
}
