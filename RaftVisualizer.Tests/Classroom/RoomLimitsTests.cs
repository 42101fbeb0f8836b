using Microsoft.Extensions.Options;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Classroom;

/// <summary>What bounds a room in-process: rooms per client, what a room's store holds, idle pausing and closing, the presenter's close.</summary>
public sealed class RoomLimitsTests : IDisposable
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly RoomRegistry _rooms;

    public RoomLimitsTests() =>
        _rooms = new RoomRegistry(Options.Create(new RoomOptions
        {
            MaxRooms = 10, MaxOpenRoomsPerClient = 2, MaxRoomCreationsPerClient = 3, RoomCreationWindow = TimeSpan.FromMinutes(60),
            MaxKeysPerRoom = 3, MaxKvBytesPerRoom = 100, MaxOperationsInFlightPerRoom = 4, MaxWriteBytesPerRoom = 1000,
            PauseWhenIdleFor = TimeSpan.FromMinutes(15), IdleTimeout = TimeSpan.FromMinutes(30), PresenterIdleTimeout = TimeSpan.FromMinutes(120),
        }), null, _clock);

    public void Dispose() => _rooms.Dispose();

    [Fact]
    public void One_client_may_hold_only_a_few_open_rooms_and_closing_one_frees_a_place()
    {
        var first = _rooms.Create(client: "10.0.0.1");
        var second = _rooms.Create(client: "10.0.0.1");
        var third = _rooms.Create(client: "10.0.0.1");
        var otherClient = _rooms.Create(client: "10.0.0.2");
        var server = _rooms.Create();

        Assert.True(first.Ok && second.Ok && otherClient.Ok && server.Ok);
        Assert.Null(third.Room);
        Assert.Equal("You already have 2 shared rooms open, the most one address may. Close one you no longer need (the presenter can close a room), then share again.",
            third.Refusal);
        Assert.Null(_rooms.CloseAsPresenter(first.Room!.Code, first.Room.PresenterKey));
        Assert.True(_rooms.Create(client: "10.0.0.1").Ok);
    }

    [Fact]
    public void One_client_may_create_only_so_many_rooms_an_hour_even_when_it_closes_them()
    {
        for (var i = 0; i < 3; i++)
        {
            var room = _rooms.Create(client: "10.0.0.1").Room!;
            _rooms.Close(room.Code, "done");
            _clock.Advance(TimeSpan.FromMinutes(10));
        }

        var refused = _rooms.Create(client: "10.0.0.1");
        _clock.Advance(TimeSpan.FromMinutes(30)); // the first creation is now an hour old
        var later = _rooms.Create(client: "10.0.0.1");

        Assert.Equal("You have created 3 rooms in the last 60 minutes, the most one address may. Try again in 30 minutes.", refused.Refusal);
        Assert.True(later.Ok, later.Refusal);
    }

    [Fact]
    public void A_room_refuses_a_new_key_past_its_key_limit_but_takes_an_overwrite()
    {
        var room = PausedRoom();
        foreach (var key in new[] { "a", "b", "c" }) Assert.NotNull(room.Submit(KvCommand.Put(key, "1"), out _));
        Finish(room);

        Assert.Null(room.Submit(KvCommand.Put("d", "1"), out var refusal));
        Assert.Equal($"Room {room.Code}'s store is full: it holds its limit of 3 keys. Overwrite or delete an existing key.", refusal);
        Assert.NotNull(room.Submit(KvCommand.Put("a", "2"), out var overwrite));
        Assert.Null(overwrite);
    }

    [Fact]
    public void A_room_refuses_a_value_that_would_take_its_store_past_its_byte_limit()
    {
        var room = PausedRoom();
        Assert.NotNull(room.Submit(KvCommand.Put("a", new string('x', 60)), out _));

        // 61 bytes in flight (the put above, not yet answered) + 41 would be 102.
        Assert.Null(room.Submit(KvCommand.Put("b", new string('y', 40)), out var refusal));
        Assert.Equal($"Room {room.Code}'s store would hold 102 bytes, over its limit of 100 bytes. Use a shorter value, or overwrite or delete a key.", refusal);
        Assert.NotNull(room.Submit(KvCommand.Put("b", new string('y', 30)), out _));
    }

    [Fact]
    public void A_room_refuses_more_operations_in_flight_than_its_limit_until_they_are_answered()
    {
        var room = PausedRoom();
        for (var i = 0; i < 4; i++) Assert.NotNull(room.Submit(KvCommand.Put("k", $"{i}"), out _));

        Assert.Null(room.Submit(KvCommand.Put("k", "5"), out var refusal));
        Assert.Equal($"Room {room.Code} already has 4 operations waiting for an answer, its limit; wait for them to finish.", refusal);
        Finish(room);
        Assert.NotNull(room.Submit(KvCommand.Put("k", "5"), out _));
    }

    [Fact]
    public void A_room_takes_a_bounded_amount_of_writes_over_its_life()
    {
        var room = PausedRoom();
        var taken = 0;
        string? refusal = null;
        while (refusal is null && taken < 100)
        {
            if (room.Submit(KvCommand.Put("k", new string('v', 30)), out refusal) is not null) taken++;
            Finish(room);
        }

        // Each put costs 1 + 30 + 64 = 95 bytes of the 1000.
        Assert.Equal(10, taken);
        Assert.Equal(950, room.WrittenBytes);
        Assert.Equal($"Room {room.Code} has taken all the writes it may (1000 bytes in all, to keep its memory bounded). Fork it into your own copy, or share a new room.", refusal);
    }

    [Fact]
    public void A_room_with_no_presenter_activity_pauses_itself()
    {
        var room = _rooms.Create().Room!;
        _clock.Advance(TimeSpan.FromMinutes(14));
        room.Pump.Tick();
        Assert.False(room.Pump.IsPaused);

        _clock.Advance(TimeSpan.FromMinutes(2));
        room.Pump.Tick();

        Assert.True(room.Pump.IsPaused);
        Assert.False(room.IsClosed);
    }

    [Fact]
    public void A_room_with_no_presenter_activity_closes_even_while_viewers_watch()
    {
        var room = _rooms.Create().Room!;
        var viewer = new RecordingClient();
        Assert.Null(_rooms.Join(room.Code, "c1", viewer));
        using var page = room.TryAddPageViewer(out _);

        _clock.Advance(TimeSpan.FromMinutes(119));
        Assert.Equal(0, _rooms.SweepIdle());
        _clock.Advance(TimeSpan.FromMinutes(1));
        var closed = _rooms.SweepIdle();

        Assert.Equal(1, closed);
        Assert.True(room.IsClosed);
        Assert.Equal("nobody presented for 120 minutes", room.ClosedReason);
    }

    [Fact]
    public void Only_the_presenter_key_closes_a_room()
    {
        var room = _rooms.Create().Room!;
        var closedWith = new List<string>();
        room.Closed += closedWith.Add;

        Assert.Equal(ClusterHub.WatchOnly, _rooms.CloseAsPresenter(room.Code, ""));
        Assert.Equal(ClusterHub.WatchOnly, _rooms.CloseAsPresenter(room.Code, "not-the-key"));
        Assert.StartsWith("There is no open room 'ZZZZZZ'", _rooms.CloseAsPresenter("ZZZZZZ", room.PresenterKey));
        Assert.False(room.IsClosed);

        Assert.Null(_rooms.CloseAsPresenter(room.Code.ToLowerInvariant(), room.PresenterKey));
        Assert.True(room.IsClosed);
        Assert.Equal([RoomRegistry.ClosedByPresenter], closedWith);
        Assert.StartsWith("There is no open room", _rooms.CloseAsPresenter(room.Code, room.PresenterKey));
    }

    [Fact]
    public async Task A_reset_by_the_presenter_reaches_hub_viewers_as_a_new_snapshot()
    {
        var room = _rooms.Create(speed: 1).Room!;
        room.Pump.Skip(TimeSpan.FromSeconds(2));
        var viewer = new RecordingClient();
        Assert.Null(_rooms.Join(room.Code, "c1", viewer));
        await Eventually.TrueAsync(() => viewer.Batches.Count >= 2, "batches before the reset");

        room.Pump.Replace(new Cluster(new ClusterOptions { NodeCount = 3, Seed = 1 }));

        await Eventually.TrueAsync(() => viewer.Snapshots.Count == 2, "a fresh snapshot after the reset");
        var fresh = viewer.Snapshots.Last();
        Assert.Equal(3, fresh.Nodes.Count);
        Assert.True(fresh.NowMs < 2000, $"{fresh.NowMs}");
    }

    [Fact]
    public async Task A_seek_by_the_presenter_reaches_hub_viewers_as_that_moment_and_a_reset_as_a_new_generation()
    {
        var room = _rooms.Create(speed: 1).Room!;
        room.Pump.Pause();
        room.Pump.Skip(TimeSpan.FromSeconds(2));
        var viewer = new RecordingClient();
        Assert.Null(_rooms.Join(room.Code, "c1", viewer));
        await Eventually.TrueAsync(() => viewer.Snapshots.Count == 1, "the joining snapshot");
        var page = new RaftVisualizer.Sessions.LiveCluster(room.Pump, ownsPump: false, canControl: false);

        room.Pump.SeekTime(TimeSpan.FromMilliseconds(500));

        await Eventually.TrueAsync(() => viewer.Snapshots.Count == 2, "a snapshot of the moment the presenter chose");
        var moment = viewer.Snapshots.Last();
        Assert.Equal(500, moment.NowMs);
        Assert.False(moment.Live);
        Assert.Equal(TimeSpan.FromMilliseconds(500), page.Snapshot.Now); // a page viewer follows the room's cursor too

        room.Pump.Reset(new ClusterOptions { NodeCount = 3, Seed = 1 });

        await Eventually.TrueAsync(() => viewer.Snapshots.Count == 3, "a fresh snapshot after the reset");
        var fresh = viewer.Snapshots.Last();
        Assert.Equal(1, fresh.Generation);
        Assert.True(fresh.Live);
        Assert.Equal(3, fresh.Nodes.Count);
        Assert.Equal(3, page.Snapshot.Nodes.Count);
        page.Dispose();
    }

    /// <summary>A room whose cluster has a leader and is then paused, so operations stay in flight until <see cref="Finish"/>.</summary>
    private Room PausedRoom()
    {
        var room = _rooms.Create(speed: 0.01).Room!;
        room.Pump.Pause();
        Assert.True(room.Pump.SkipUntil(x => x.Leader is not null, TimeSpan.FromSeconds(5)));
        return room;
    }

    private static void Finish(Room room) =>
        Assert.True(room.Pump.SkipUntil(x => x.History.All(o => o.IsCompleted), TimeSpan.FromSeconds(10)));
}
