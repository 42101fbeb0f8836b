using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core;
using RaftVisualizer.Sessions;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Components;

/// <summary>The room page writes through the room, so a presenter's form meets the same caps as the hub.</summary>
public sealed class RoomPageCapsTests : RoomPageTest
{
    public RoomPageCapsTests() : base(new RoomOptions { MaxKeysPerRoom = 1, Speed = 1 }) => AddRoomPageServices();

    [Fact]
    public async Task A_presenters_put_past_the_rooms_key_cap_is_refused_with_why_and_never_reaches_the_cluster()
    {
        var room = Rooms.Create(new RaftVisualizer.Core.ClusterOptions { NodeCount = 3, Seed = 2 }).Room!;
        room.Pump.Pause(); // the test moves the room's simulated time itself
        Assert.True(room.Pump.Read(c => c.RunUntil(x => x.Leader is not null, TimeSpan.FromSeconds(5))));
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("key", room.PresenterKey));
        var page = Render<RaftVisualizer.Components.Pages.Room>(p => p.Add(r => r.Code, room.Code));
        Assert.Equal("Presenter", page.Find("[data-testid=room-role]").TextContent.Trim());

        // On the renderer's own thread, so a publish cannot re-render the form between finding a control and using it.
        Task Put(string key) => page.InvokeAsync(() =>
        {
            page.Find("input[data-testid=kv-key]").Input(key);
            page.Find("input[data-testid=kv-value]").Input("v");
            page.Find("[data-testid=kv-put]").Click();
        });
        await Put("first");
        Assert.True(room.Pump.Read(c => c.RunUntil(x => x.History.All(o => o.IsCompleted), TimeSpan.FromSeconds(5))));
        var before = room.Pump.Read(c => c.History.Count);
        await Put("second");

        Assert.Equal(before, room.Pump.Read(c => c.History.Count));
        page.WaitForAssertion(() => Assert.Contains($"Room {room.Code}'s store is full: it holds its limit of 1 keys.", page.Markup), TimeSpan.FromSeconds(10));
    }
}
