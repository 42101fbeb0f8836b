using RaftVisualizer.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using RaftVisualizer.Classroom;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Sessions;
using RaftVisualizer.Core.Commands;

namespace RaftVisualizer.Tests.Classroom;

/// <summary>The Share button: a private cluster becomes a room with a join code, a URL and a presenter key.</summary>
public sealed class ShareButtonTests : BunitContext
{
    private readonly RoomRegistry _rooms = new(Options.Create(new RoomOptions { MaxRooms = 1 }));
    private readonly LiveCluster _live;

    public ShareButtonTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.SetupDiagramCanvas();
        Services.AddMudServices();
        Services.AddScoped<DisplayMode>();
        Services.AddSingleton(_rooms);
        var pump = new ClusterPump(new ClusterOptions { NodeCount = 5, Seed = 11 }, speed: 0.01);
        _live = new LiveCluster(pump, ownsPump: true, canControl: true);
    }

    protected override void Dispose(bool disposing)
    {
        _live.Dispose();
        _rooms.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public void Share_creates_a_room_in_the_same_state_and_shows_code_url_and_key()
    {
        Assert.True(_live.Pump.SkipUntil(x => x.Leader is not null, TimeSpan.FromSeconds(5)));
        Assert.True(_live.Pump.Execute(new ClusterCommand.Crash(2)).Ok);
        var cut = Render<ShareButton>(p => p.Add(b => b.Live, _live));

        cut.Find("[data-testid='share']").Click();

        var room = Assert.Single(_rooms.Rooms);
        Assert.Equal(room.Code, cut.Find("[data-testid='share-code']").TextContent);
        Assert.Equal($"http://localhost/room/{room.Code}", cut.Find("[data-testid='share-url']").TextContent);
        Assert.Equal(room.PresenterKey, cut.Find("[data-testid='share-key']").TextContent);
        Assert.Equal($"/room/{room.Code}?key={Uri.EscapeDataString(room.PresenterKey)}", cut.Find("[data-testid='share-present']").GetAttribute("href"));
        Assert.False(room.Pump.Read(c => c.Nodes[1].IsUp));
        Assert.Equal(_live.Pump.Read(c => c.Options.Seed), room.Pump.Read(c => c.Options.Seed));
    }

    [Fact]
    public void At_the_room_cap_share_says_why()
    {
        Assert.True(_rooms.Create().Ok);
        var cut = Render<ShareButton>(p => p.Add(b => b.Live, _live));

        cut.Find("[data-testid='share']").Click();

        Assert.StartsWith("The server already runs its maximum of 1 shared rooms.", cut.Find("[data-testid='share-problem']").TextContent);
    }

    [Fact]
    public void Inside_a_room_it_shows_the_room_instead_and_a_watcher_sees_no_share()
    {
        var room = _rooms.Create().Room!;
        var inRoom = new LiveCluster(room.Pump, ownsPump: false, canControl: true);
        var watching = new LiveCluster(_live.Pump, ownsPump: false, canControl: false);

        var presenter = Render<ShareButton>(p => p.Add(b => b.Live, inRoom));
        var watcher = Render<ShareButton>(p => p.Add(b => b.Live, watching));

        Assert.Contains(room.Code, presenter.Find("[data-testid='share-room']").TextContent);
        Assert.Empty(watcher.FindAll("[data-testid='share']"));
        inRoom.Dispose();
        watching.Dispose();
    }
}
