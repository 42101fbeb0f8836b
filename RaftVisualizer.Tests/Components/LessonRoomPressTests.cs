using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using RaftVisualizer.Components.Lessons;
using RaftVisualizer.Core.Lessons;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Components;

/// <summary>
/// In a room the presenter's press and the pump's publish meet on two threads: the pump's thread hands a
/// publish to every page watching, and Blazor runs an idle page's render right there on the caller's
/// thread, so the watcher's lesson panel reads the lesson while the pump is still publishing. A press of
/// "Skip ahead" on the presenter's page finishes the step and then publishes too. Neither may wait for
/// the other: before the fix the press held the lesson's lock while it waited for the publish, and the
/// publish (the watcher's render) waited for that lock, so the press was never handled and the room froze.
/// </summary>
public sealed class LessonRoomPressTests : ClusterComponentTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_presenters_skip_ahead_made_while_the_pump_publishes_to_a_watching_page_is_handled_and_the_watcher_sees_it()
    {
        StartCluster(nodes: 3, seed: 1);
        var presenter = new LiveCluster(Pump, ownsPump: false, canControl: true) { InRoom = true };
        Assert.True(presenter.Lessons.Open(BuiltInLessons.Find("pre-vote")!).Ok);
        var session = presenter.Lessons.Session;
        Assert.Equal((0, LessonPhase.Running), (session.Index, session.Phase));

        // The pump's next publish stops, on the pump's thread, before the watcher hears of it, until the
        // presenter's press has finished the step (the lesson says so) and goes on to publish itself.
        using var publishing = new ManualResetEventSlim();
        using var pressed = new ManualResetEventSlim();
        var holdPublish = 0;
        var notePress = 0;
        var heldUntilPressed = false;
        Pump.FramePublished += _ =>
        {
            if (Interlocked.Exchange(ref holdPublish, 0) == 0) return;
            publishing.Set();
            heldUntilPressed = pressed.Wait(Patience);
        };

        // The watcher's page: a renderer of its own (its own circuit), idle, subscribed after the hold above.
        var watcherPage = new BunitContext();
        watcherPage.Services.AddMudServices();
        watcherPage.JSInterop.Mode = JSRuntimeMode.Loose;
        using var watcher = new LiveCluster(Pump, ownsPump: false, canControl: false) { InRoom = true };
        var panel = watcherPage.Render<LessonPanel>(p => p.Add(c => c.Live, watcher));
        Assert.Equal("Running", panel.Find("[data-testid='lesson-player']").GetAttribute("data-phase"));
        // After the watcher's panel has heard the step end (its own render, on the presenter's thread, as Blazor runs an idle page's):
        session.Changed += () =>
        {
            if (Volatile.Read(ref notePress) == 1 && session.Phase == LessonPhase.Reached) pressed.Set();
        };

        var tick = Task.Run(() =>
        {
            Volatile.Write(ref holdPublish, 1);
            Time.Advance(TimeSpan.FromMilliseconds(40)); // a tick's worth: 10 ms simulated at lesson speed, the step runs on
            Pump.Tick();
        });
        var press = Task.Run(() =>
        {
            Assert.True(publishing.Wait(Patience), "the pump did not publish");
            Volatile.Write(ref notePress, 1);
            return presenter.Lessons.Next(0, LessonPhase.Running); // "Skip ahead"
        });

        try
        {
            await Task.WhenAll(tick, press).WaitAsync(2 * Patience);
        }
        catch (TimeoutException)
        {
            Assert.Fail("The press and the pump's publish waited for each other: the skip was never handled and the room froze.");
        }
        Assert.True(heldUntilPressed, "the press did not finish the step while the pump was publishing");
        Assert.True((await press).Ok);
        Assert.Equal((0, LessonPhase.Reached), (session.Index, session.Phase));
        panel.WaitForAssertion(() => Assert.Equal("Reached", panel.Find("[data-testid='lesson-player']").GetAttribute("data-phase")));
        presenter.Dispose();
        await watcherPage.DisposeAsync(); // not on failure: its renderer would wait for the thread stuck in its render
    }
}
