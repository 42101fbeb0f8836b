using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RaftVisualizer.Classroom;
using RaftVisualizer.Tests.Harness;
using RaftVisualizer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RaftVisualizer.Tests.Classroom;

/// <summary>The real app with no hub rate limit, so a harness measures what a room holds rather than how fast a client may call.</summary>
public sealed class UnthrottledHubFixture : KestrelAppFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Rooms:HubCallBurst", "1000000");
        builder.UseSetting("Rooms:HubCallsPerSecond", "1000000");
    }
}

/// <summary>
/// Runs only with RAFTVIS_HARNESS=1. 10,000 puts of 4 KB (over 50 keys) through the hub into one room, once with the
/// room's limits as configured and once with them lifted, reporting how many were taken and how much the managed
/// heap grew (in this process, which hosts the app). Not a timed test: it asserts only that the capped room stays
/// bounded and running.
/// </summary>
public sealed class RoomMemoryHarness(UnthrottledHubFixture app, ITestOutputHelper output) : IClassFixture<UnthrottledHubFixture>
{
    private const int Puts = 10_000;
    private const int ValueBytes = 4096;
    private RoomRegistry Rooms => app.Services.GetRequiredService<RoomRegistry>();

    [HarnessFact]
    public async Task Ten_thousand_puts_of_4_KB_are_refused_past_the_room_cap_and_memory_stays_bounded()
    {
        var capped = await RunAsync("limits as configured");
        var limits = Rooms.Options;
        var (write, inFlight) = (limits.MaxWriteBytesPerRoom, limits.MaxOperationsInFlightPerRoom);
        limits.MaxWriteBytesPerRoom = int.MaxValue;
        limits.MaxOperationsInFlightPerRoom = int.MaxValue;
        try
        {
            var uncapped = await RunAsync("limits lifted");
            Assert.True(uncapped.GrowthMb > capped.GrowthMb, "lifting the limits lets the room grow");
        }
        finally
        {
            (limits.MaxWriteBytesPerRoom, limits.MaxOperationsInFlightPerRoom) = (write, inFlight);
        }
        Assert.True(capped.Taken * (ValueBytes + 70L) <= limits.MaxWriteBytesPerRoom, $"{capped.Taken} puts taken");
        Assert.True(capped.GrowthMb < 40, $"the capped room grew the heap by {capped.GrowthMb:0.0} MB");
    }

    private async Task<(int Taken, double GrowthMb)> RunAsync(string label)
    {
        var before = Heap();
        var room = Rooms.Create(speed: 10).Room!;
        await using var connection = new HubConnectionBuilder().WithUrl(app.Url(ClusterHub.Path)).Build();
        await connection.StartAsync();
        var value = new string('v', ValueBytes);
        var taken = 0;
        var refusals = new Dictionary<string, int>();
        var started = DateTime.UtcNow;
        for (var i = 0; i < Puts; i += 50)
        {
            var calls = Enumerable.Range(i, 50).Select(n => connection.InvokeAsync<string>("Put", room.Code, room.PresenterKey, $"k{n % 50}", value)).ToArray();
            foreach (var call in calls)
            {
                try
                {
                    await call;
                    taken++;
                }
                catch (HubException e)
                {
                    var reason = e.Message[(e.Message.IndexOf("HubException: ", StringComparison.Ordinal) + 14)..];
                    reason = reason.Length > 60 ? reason[..60] + "…" : reason;
                    refusals[reason] = refusals.GetValueOrDefault(reason) + 1;
                }
            }
        }
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        await Task.Delay(2000); // let the operations in flight commit
        var (nowMs, committed) = room.Pump.Read(c => (c.Now.TotalMilliseconds, c.Nodes.Max(n => n.CommitIndex)));
        var after = Heap();
        var growth = (after - before) / (1024.0 * 1024);
        output.WriteLine($"{label}: {Puts} puts of {ValueBytes} B in {seconds:0.0} s; taken {taken}, written {room.WrittenBytes / 1024} KB, commit index {committed}, simulated {nowMs / 1000:0.0} s");
        foreach (var (reason, count) in refusals) output.WriteLine($"  refused {count}×: {reason}");
        output.WriteLine($"  managed heap {before / (1024.0 * 1024):0.0} MB -> {after / (1024.0 * 1024):0.0} MB (+{growth:0.0} MB) with the room open");
        Assert.False(room.IsClosed);
        Rooms.Close(room.Code, "the harness ended");
        output.WriteLine($"  after closing the room: {Heap() / (1024.0 * 1024):0.0} MB");
        return (taken, growth);
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
