using Bunit;
using Microsoft.Extensions.DependencyInjection;
using RaftVisualizer.Classroom;
using RaftVisualizer.Sessions;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Components;

/// <summary>A viewer's fork of a room opens with the servers where the presenter dragged them, not back on the ring.</summary>
public sealed class RoomForkLayoutTests : RoomPageTest
{
    public RoomForkLayoutTests() : base(new RoomOptions { Speed = 1 }) => AddRoomPageServices();

    [Fact]
    public async Task A_viewers_fork_keeps_the_servers_where_the_presenter_put_them()
    {
        var room = Rooms.Create(new RaftVisualizer.Core.ClusterOptions { NodeCount = 5, Seed = 8 }).Room!;
        var presenter = new LiveCluster(room.Pump, ownsPump: false, canControl: true);
        Assert.True(presenter.MoveServer(3, -210, 40).Ok);
        Assert.True(presenter.MoveServer(5, 180, -150).Ok);
        var page = Render<RaftVisualizer.Components.Pages.Room>(p => p.Add(r => r.Code, room.Code));
        Assert.Equal("Watching", page.Find("[data-testid=room-role]").TextContent.Trim());

        // On the renderer's own thread, so a publish of the running room cannot re-render the button between finding and pressing it.
        await page.InvokeAsync(() => page.Find("[data-testid=room-fork]").Click());

        var mine = Services.GetRequiredService<PrivateSession>().Live!;
        Assert.NotSame(room.Pump, mine.Pump);
        Assert.Equal((-210d, 40d), mine.Layout.Positions[3]);
        Assert.Equal((180d, -150d), mine.Layout.Positions[5]);
        Assert.Equal(2, mine.Layout.Positions.Count); // the servers the presenter left on the ring stay on it
        // The copy is the viewer's own: moving a server there leaves the room's drawing alone.
        Assert.True(mine.MoveServer(3, 0, 0).Ok);
        Assert.Equal((-210d, 40d), room.Pump.Layout.Positions[3]);
        presenter.Dispose();
    }
}
