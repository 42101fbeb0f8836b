using Microsoft.Playwright;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Sessions;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>Membership changes and snapshots in headless Chromium: add a server, watch it join as a learner and vote, remove one, open a compacted run.</summary>
[Collection(WebCollection.Name)]
public sealed class MembershipPageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;

    [Fact]
    public async Task Add_server_joins_S4_as_a_learner_then_a_follower_and_remove_fades_a_server_out()
    {
        var context = await browser.NewContextAsync(app.BaseAddress);
        await using var _ = context;
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=7&nodes=3");
        var leader = await LivePage.WaitForLeaderAsync(page);
        await page.WaitForTimeoutAsync(600); // the leader commits an entry of its term: only then may it change the configuration

        // Paused, so the learner stays a learner long enough to look at.
        await page.Locator("[data-testid='pause']").ClickAsync();
        await Expect(page.Locator("[data-testid='pause']")).ToHaveAttributeAsync("data-paused", "true");
        await page.Locator("[data-testid='add-server']").ClickAsync();
        await Expect(page.Locator("[data-testid='canvas-action-result']")).ToContainTextAsync("S4 joins as a learner");
        var s4 = page.Locator("g[data-testid='node-4']");
        await Expect(s4).ToHaveAttributeAsync("data-role", "Learner", new() { Timeout = Patience });
        await Expect(page.Locator("[data-testid='cluster-config']")).ToHaveTextAsync("config S1 S2 S3 +S4");
        await Expect(page.Locator("[data-testid='seed-members']")).ToHaveTextAsync("3 voting + 1 learner · started with 3"); // not the seed's "3 nodes"
        for (var i = 0; i < 12; i++) await page.Locator("[data-testid='step']").ClickAsync(); // the first AppendEntries set out towards S4
        await page.WaitForTimeoutAsync(900); // the ring makes room: the servers glide
        await BrowserFixture.SaveScreenshotAsync(page, "membership-learner");

        await page.Locator("[data-testid='pause']").ClickAsync(); // play
        await Expect(s4).ToHaveAttributeAsync("data-role", "Follower", new() { Timeout = Patience });
        await Expect(s4).ToHaveAttributeAsync("data-membership", "Voter");
        await Expect(page.Locator("[data-testid='cluster-config']")).ToHaveTextAsync("config S1 S2 S3 S4");
        await Expect(page.Locator("[data-testid='log-4'] .entry[data-kind='config']")).ToHaveCountAsync(2, new() { Timeout = Patience });
        await BrowserFixture.SaveScreenshotAsync(page, "membership-voter");

        // Remove a follower other than the new one from its menu: it fades out.
        var victim = new[] { "node-1", "node-2", "node-3" }.First(n => n != leader);
        await page.Locator($"g[data-testid='{victim}']").ClickAsync();
        await page.Locator("[data-testid='node-menu-remove']").ClickAsync();
        await Expect(page.Locator("[data-testid='canvas-action-result']")).ToContainTextAsync("without S" + victim["node-".Length..]);
        var removed = page.Locator($"g[data-testid='{victim}']");
        await Expect(removed).ToHaveAttributeAsync("data-membership", "Removed", new() { Timeout = Patience });
        await Expect(removed.Locator(".role-text")).ToContainTextAsync("removed");
        await Expect(removed).ToHaveCSSAsync("opacity", "0.35"); // faded out (after a short transition)
        await Expect(page.Locator("[data-testid='seed-members']")).ToHaveTextAsync("3 voting · started with 3", new() { Timeout = Patience });
        await BrowserFixture.SaveScreenshotAsync(page, "membership-removed");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_compacted_run_shows_each_snapshot_as_a_block_and_the_snapshot_parcel_in_flight()
    {
        // A run made in code and opened by its link: compaction every 5 entries, a follower that missed
        // the compacted entries restarting, stopped while the leader's InstallSnapshot is on the wire.
        var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 4, SnapshotThreshold = 5 });
        Assert.True(cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5)));
        cluster.RunFor(TimeSpan.FromMilliseconds(300));
        var leader = cluster.Leader!.Value;
        var lagging = cluster.Nodes.First(n => n.Id != leader).Id;
        cluster.Execute(new ClusterCommand.Crash(lagging));
        for (var i = 0; i < 13; i++)
        {
            cluster.Execute(new ClusterCommand.Submit(KvCommand.Put($"k{i % 4}", $"v{i}")));
            cluster.RunFor(TimeSpan.FromMilliseconds(80));
        }
        cluster.Execute(new ClusterCommand.Restart(lagging));
        Assert.True(cluster.RunUntil(c => c.Frame().Messages.Any(m => m.Message is InstallSnapshot && m.ArrivesAt - c.Now > TimeSpan.FromMilliseconds(5)), TimeSpan.FromSeconds(2)));
        var link = new SharedRun(cluster.Scenario, cluster.Now).ToLinkParameter(out var problem);
        Assert.True(link is not null, problem);

        var context = await browser.NewContextAsync(app.BaseAddress);
        await using var _ = context;
        var (page, errors) = await LivePage.OpenAsync(context, "?run=" + link);
        var parcel = page.Locator("[data-testid='message'][data-kind='snapshot']");
        await Expect(parcel).ToHaveCountAsync(1, new() { Timeout = Patience });
        var block = page.Locator($"[data-testid='snapshot-{leader.Value}']");
        await Expect(block).ToContainTextAsync("snapshot ≤");
        await Expect(block).ToContainTextAsync("4 keys");
        Assert.Contains("InstallSnapshot", await block.GetAttributeAsync("title"));
        await Expect(page.Locator($"[data-testid='snapshot-{lagging.Value}']")).ToHaveCountAsync(0); // it has not got it yet
        await page.Locator($"g[data-testid='node-{leader.Value}']").ClickAsync();
        await page.Locator("[data-testid='node-menu-details']").ClickAsync();
        await Expect(page.Locator("[data-testid='node-panel-snapshot']")).ToContainTextAsync("up to entry");
        await BrowserFixture.SaveScreenshotAsync(page, "snapshot-install");
        Assert.Empty(errors);
    }
}
