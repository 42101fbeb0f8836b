using Microsoft.Extensions.Options;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Scenarios;

namespace RaftVisualizer.Tests.Classroom;

/// <summary>Rooms in-process: codes and keys, every limit with its message, idle sweeping, forks from a scenario, slow viewers.</summary>
public sealed class RoomRegistryTests : IDisposable
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly RoomRegistry _rooms;

    public RoomRegistryTests() =>
        _rooms = new RoomRegistry(Options.Create(new RoomOptions { MaxRooms = 3, MaxViewersPerRoom = 2, IdleTimeout = TimeSpan.FromMinutes(10) }), null, _clock);

    public void Dispose() => _rooms.Dispose();

    [Fact]
    public void A_room_has_a_six_character_unambiguous_code_a_long_presenter_key_and_a_url()
    {
        var rooms = Enumerable.Range(0, 3).Select(_ => _rooms.Create().Room!).ToArray();

        Assert.All(rooms, r =>
        {
            Assert.Matches("^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$", r.Code);
            Assert.True(r.PresenterKey.Length >= 16, r.PresenterKey);
            Assert.Equal($"/room/{r.Code}", r.Url);
        });
        Assert.Equal(3, rooms.Select(r => r.Code).Distinct().Count());
        Assert.Equal(3, rooms.Select(r => r.PresenterKey).Distinct().Count());
    }

    [Fact]
    public void Codes_are_found_case_insensitively_and_with_spaces_or_dashes()
    {
        var room = _rooms.Create().Room!;
        var typed = $"{room.Code[..3].ToLowerInvariant()}-{room.Code[3..]} ";

        Assert.True(_rooms.TryGet(typed, out var found));
        Assert.Same(room, found);
        Assert.False(_rooms.TryGet("", out _));
        Assert.False(_rooms.TryGet(new string('A', 10_000), out _));
    }

    [Fact]
    public void The_room_cap_refuses_with_a_clear_message()
    {
        for (var i = 0; i < 3; i++) Assert.True(_rooms.Create().Ok);

        var refused = _rooms.Create();

        Assert.Null(refused.Room);
        Assert.StartsWith("The server already runs its maximum of 3 shared rooms.", refused.Refusal);
        Assert.Equal(3, _rooms.Count);
    }

    [Fact]
    public void The_viewer_cap_refuses_with_a_clear_message_and_counts_pages_and_hub_clients()
    {
        var room = _rooms.Create().Room!;
        using var page = room.TryAddPageViewer(out var pageRefusal);

        var first = _rooms.Join(room.Code, "c1", new RecordingClient());
        var second = _rooms.Join(room.Code, "c2", new RecordingClient());
        var third = room.TryAddPageViewer(out var thirdRefusal);

        Assert.Null(pageRefusal);
        Assert.Null(first);
        Assert.Equal($"Room {room.Code} already has its maximum of 2 viewers. Ask the presenter to share a new room, or fork this one into your own copy.", second);
        Assert.Null(third);
        Assert.Equal(second, thirdRefusal);
        Assert.Equal(2, room.Viewers);
    }

    [Fact]
    public void Joining_an_unknown_room_says_so()
    {
        Assert.Equal("There is no open room 'ZZZZZZ'. Check the 6-character code on the projector; the room may have closed.",
            _rooms.Join("ZZZZZZ", "c1", new RecordingClient()));
    }

    [Fact]
    public void An_idle_room_is_closed_by_the_sweep_but_not_while_someone_watches()
    {
        var watched = _rooms.Create().Room!;
        var empty = _rooms.Create().Room!;
        var client = new RecordingClient();
        Assert.Null(_rooms.Join(watched.Code, "c1", client));

        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, _rooms.SweepIdle());
        _clock.Advance(TimeSpan.FromMinutes(2));
        var firstSweep = _rooms.SweepIdle();

        Assert.Equal(1, firstSweep);
        Assert.True(empty.IsClosed);
        Assert.False(_rooms.TryGet(empty.Code, out _));
        Assert.Equal("it was idle for 10 minutes (no viewers, no presenter activity)", empty.ClosedReason);
        Assert.True(_rooms.TryGet(watched.Code, out _));

        // The last viewer leaves: the idle clock starts from then.
        _rooms.Leave("c1");
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, _rooms.SweepIdle());
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, _rooms.SweepIdle());
        Assert.True(watched.IsClosed);
    }

    [Fact]
    public void Presenter_activity_keeps_an_empty_room_open()
    {
        var room = _rooms.Create().Room!;

        _clock.Advance(TimeSpan.FromMinutes(8));
        room.Pump.Execute(new ClusterCommand.Heal());
        _clock.Advance(TimeSpan.FromMinutes(8));

        Assert.Equal(0, _rooms.SweepIdle());
        Assert.False(room.IsClosed);
    }

    [Fact]
    public void A_room_shared_from_a_scenario_is_the_same_cluster()
    {
        var original = new Cluster(new ClusterOptions { NodeCount = 5, Seed = 99 });
        original.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5));
        original.Crash(original.Leader!.Value);
        var op = original.Submit(KvCommand.Put("shared", "yes"));
        original.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(5));

        var room = _rooms.Create(original.Scenario, original.Now, speed: 0.01).Room!;
        var copy = room.Pump.Read(c =>
        {
            original.RunFor(c.Now - original.Now); // the room may have run a tick already
            return c.Frame();
        });
        var expected = original.Frame();

        Assert.Equal(expected.Now, copy.Now);
        Assert.Equal(expected.Leader, copy.Leader);
        Assert.Equal(
            expected.Nodes.Select(n => (n.Id, n.IsUp, n.Role, n.Term, string.Join(",", n.Log))),
            copy.Nodes.Select(n => (n.Id, n.IsUp, n.Role, n.Term, string.Join(",", n.Log))));
        Assert.Contains(copy.Nodes, n => n.Kv.TryGetValue("shared", out var v) && v == "yes");
    }

    [Fact]
    public async Task A_viewer_gets_a_snapshot_first_then_batches_in_order()
    {
        var room = _rooms.Create(speed: 1).Room!;
        var client = new RecordingClient();

        Assert.Null(_rooms.Join(room.Code, "c1", client));
        await Eventually.TrueAsync(() => client.Batches.Count >= 5, "five event batches");

        var snapshot = Assert.Single(client.Snapshots);
        Assert.Equal(room.Code, snapshot.Room);
        Assert.Equal(5, snapshot.Nodes.Count);
        var seqs = client.Batches.Select(b => b.Seq).ToArray();
        Assert.Equal(seqs.OrderBy(s => s), seqs);
        Assert.All(client.Batches, b => Assert.True(b.Events.Count <= ClassroomMapper.MaxEventsPerBatch));
    }

    [Fact]
    public async Task A_stalled_viewer_does_not_hold_back_the_others_and_is_resynced_with_a_snapshot()
    {
        var room = _rooms.Create(speed: 1).Room!;
        var slow = new RecordingClient();
        var fast = new RecordingClient();
        slow.Stall();
        Assert.Null(_rooms.Join(room.Code, "slow", slow));
        Assert.Null(_rooms.Join(room.Code, "fast", fast));

        // About 30 batches a second: the stalled one is stuck on its first while the fast one gets them all.
        await Eventually.TrueAsync(() => fast.Batches.Count >= 40, "40 batches for the fast viewer");
        Assert.Single(slow.Batches);

        slow.Release();
        await Eventually.TrueAsync(() => slow.Snapshots.Count == 2, "a fresh snapshot for the slow viewer after it fell behind");
        await Eventually.TrueAsync(() => slow.Batches.Count >= 3, "batches resume for the slow viewer");
    }

    [Fact]
    public void Closing_a_room_stops_its_pump_and_refuses_new_viewers()
    {
        var room = _rooms.Create().Room!;

        Assert.True(_rooms.Close(room.Code, "the lecture ended"));

        Assert.True(room.IsClosed);
        Assert.Null(room.TryAddPageViewer(out var refusal));
        Assert.Equal($"Room {room.Code} has closed: the lecture ended", refusal);
        Assert.StartsWith("There is no open room", _rooms.Join(room.Code, "c1", new RecordingClient()));
    }
}
