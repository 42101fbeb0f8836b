using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Classroom;

/// <summary>
/// A viewer connected only through the hub reads the same narration the page's event feed
/// shows: one narrator, the same sentences, with the rule and its section (issue 15).
/// </summary>
public sealed class HubNarrationTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>, IAsyncLifetime
{
    private HubConnection? _connection;
    private Room? _room;
    private RoomRegistry Rooms => app.Services.GetRequiredService<RoomRegistry>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        if (_room is not null) Rooms.Close(_room.Code, "the test ended");
    }

    [Fact]
    public async Task A_hub_viewer_receives_every_line_the_page_feed_tells_in_the_same_words()
    {
        var created = Rooms.Create(speed: 1);
        Assert.True(created.Ok, created.Refusal);
        _room = created.Room!;
        var batches = new ConcurrentQueue<EventBatchDto>();
        _connection = new HubConnectionBuilder().WithUrl(app.Url(ClusterHub.Path)).Build();
        _connection.On<EventBatchDto>(nameof(IClusterClient.Events), batches.Enqueue);
        await _connection.StartAsync();
        await _connection.InvokeAsync<JoinResultDto>("JoinRoom", _room.Code);

        await Eventually.TrueAsync(() => _room.Pump.Read(c => c.Leader) is not null, "a first leader");
        var leader = _room.Pump.Read(c => c.Leader)!.Value;
        await _connection.InvokeAsync<string>("Crash", _room.Code, _room.PresenterKey, leader.Value);
        await Eventually.TrueAsync(() => _room.Pump.Read(c => c.Leader is { } l && l != leader), "a second leader after the crash");
        await Eventually.TrueAsync(() => batches.Any(b => b.Events.Any(e => e.News && e.Text.Contains(" becomes leader of term ") && !e.Text.StartsWith($"{leader} "))),
            "the viewer hears of the second leader");
        await _connection.InvokeAsync<string>("Pause", _room.Code, _room.PresenterKey);

        // The page's feed: the narrator's default line for each recorded event after the first the viewer
        // got (that moment's earlier events went out with the snapshot it joined on). The pump has paused, so
        // the feed stops growing; the viewer's batches may still be on their way, so wait for the last of them.
        var from = batches.SelectMany(b => b.Events).First(e => e.News).TimeMs;
        List<string> PageLines() => _room.Pump.Read(c => c.Events.ToArray())
            .Where(e => ClassroomMapper.Ms(e.Time) > from)
            .Select(EventNarrator.Describe).OfType<string>().ToList();
        List<string> HubLines() => batches.SelectMany(b => b.Events).Where(e => e.News && e.TimeMs > from).Select(e => e.Text).ToList();
        var page = PageLines();
        await Eventually.TrueAsync(() => HubLines().Count >= page.Count, "every line up to the pause reaches the viewer");
        page = PageLines(); // a step the pump was in the middle of when the pause came has ended by now
        await Eventually.TrueAsync(() => HubLines().Count >= page.Count, "every line up to the pause reaches the viewer");

        Assert.All(batches, b => Assert.Equal(0, b.Dropped));
        var news = batches.SelectMany(b => b.Events).Where(e => e.News).ToList();
        var hub = HubLines();
        Assert.Equal(page, hub);
        var told = string.Join("\n", hub);
        Assert.True(hub.Any(l => l.Contains(" becomes leader of term ") && l.EndsWith("(§5.2)")), told);
        Assert.True(hub.Any(l => l.Contains(" receives ") && l.Contains("'s vote for term")), told); // a delivery the feed tells reaches the viewer too
        Assert.Contains(news, e => e.Text.StartsWith($"{leader} crashed: "));
    }
}
