using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Components;

/// <summary>Beside Get, the form picks how reads are served; a pick re-runs the cluster under it, keeping the keys written.</summary>
public sealed class KvFormReadModeTests : ClusterComponentTest
{
    private IRenderedComponent<KvForm> RenderForm() => Render<KvForm>(p => p.Add(f => f.Live, Live));

    private static void Type(IRenderedComponent<KvForm> form, string testId, string text) =>
        form.Find($"input[data-testid={testId}]").Input(text);

    /// <summary>
    /// Clicks a form button and waits until its operation is in the history: while the history badge
    /// renders from its own thread, bUnit may run the handler after Click returns, and simulated time
    /// must not run on before the operation started.
    /// </summary>
    private void Submit(IRenderedComponent<KvForm> form, string testId)
    {
        var before = Pump.Read(c => c.History.Count);
        form.Find($"[data-testid={testId}]").Click();
        form.WaitForAssertion(() => Assert.Equal(before + 1, Pump.Read(c => c.History.Count)));
    }

    private long[] LogLengths() => Pump.Read(c => c.Nodes.Select(n => n.LastLogIndex).ToArray());

    [Theory]
    [InlineData(ReadMode.ReadIndex)]
    [InlineData(ReadMode.Lease)]
    public void A_get_by_ReadIndex_or_lease_answers_the_value_written_and_appends_nothing(ReadMode mode)
    {
        StartCluster(nodes: 3, seed: 2);
        ElectLeader();
        var form = RenderForm();
        Type(form, "kv-key", "colour");
        Type(form, "kv-value", "blue");
        Submit(form, "kv-put");
        RunFor(1000);

        form.Find($"[data-testid=kv-read-{mode}]").Change(true);
        form.WaitForAssertion(() => Assert.Equal(mode, Pump.Read(c => c.Options.ReadMode)));
        form.WaitForAssertion(() => Assert.Contains("Ran seed 2 again", form.Find("[data-testid=kv-read-note]").TextContent));
        RunFor(300);
        var before = LogLengths();
        Submit(form, "kv-get");
        RunFor(1000);

        form.WaitForAssertion(() => Assert.Equal("blue", form.Find("[data-testid=kv-result-value]").TextContent));
        Assert.Equal(before, LogLengths());
        Assert.DoesNotContain(Pump.Read(c => c.Nodes[0].Log.Select(e => e.Command.ToString()).ToArray()), c => c.StartsWith("get", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stale_read_from_a_cut_off_server_chosen_in_the_form_is_flagged_by_the_history_badge()
    {
        StartCluster(nodes: 3, seed: 2);
        var form = RenderForm();
        form.Find("[data-testid=kv-read-stale]").Change(true);
        form.WaitForAssertion(() => Assert.True(Pump.Read(c => c.Options.Broken.HasFlag(BrokenRules.ReadsFromAnyNode))));
        var badges = Render<SafetyBadges>(p => p.Add(b => b.Live, Live));
        var leader = ElectLeader();
        var stale = Pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        Drive(c => c.Partition(new[] { stale }, c.Nodes.Select(n => n.Id).Where(id => id != stale)));
        Type(form, "kv-key", "x");
        Type(form, "kv-value", "new");
        Submit(form, "kv-put");
        RunFor(800);
        Assert.Equal(KvStatus.Ok, Pump.Read(c => c.History[^1].Result?.Status)); // the write completed before the read starts

        form.WaitForAssertion(() => form.Find("[data-testid=kv-read-server]").Change(stale.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Submit(form, "kv-get");
        RunFor(500);

        form.WaitForAssertion(() => Assert.Contains($"served by {stale}", form.Find("[data-testid=kv-served]").TextContent));
        Assert.Equal("notfound", form.Find("[data-testid=kv-result]").GetAttribute("data-status"));
        badges.WaitForAssertion(() => Assert.Equal("violation", badges.Find("[data-testid=history-badge]").GetAttribute("data-verdict")), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void Back_to_reads_through_the_log_the_broken_rule_is_off_again()
    {
        StartCluster(nodes: 3, seed: 5, tweak: o => o with { Broken = BrokenRules.ReadsFromAnyNode | BrokenRules.ForgetVotedForOnRestart, ReadMode = ReadMode.ReadIndex });
        var form = RenderForm();
        Assert.Equal("true", form.Find("[data-testid=kv-read-stale]").GetAttribute("checked") is null ? "false" : "true");

        form.Find("[data-testid=kv-read-Log]").Change(true);

        form.WaitForAssertion(() => Assert.Equal((ReadMode.Log, BrokenRules.ForgetVotedForOnRestart), Pump.Read(c => (c.Options.ReadMode, c.Options.Broken))));
        form.WaitForAssertion(() => Assert.Null(form.Find("[data-testid=kv-read-stale]").GetAttribute("checked")));
    }
}
