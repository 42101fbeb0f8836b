using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Components;

public class KvFormTests : ClusterComponentTest
{
    private IRenderedComponent<KvForm> RenderForm() => Render<KvForm>(p => p.Add(f => f.Live, Live));

    private static void Type(IRenderedComponent<KvForm> form, string testId, string text) =>
        form.Find($"input[data-testid={testId}]").Input(text);

    private static string ResultText(IRenderedComponent<KvForm> form) => form.Find("[data-testid=kv-result]").TextContent;

    [Fact]
    public void A_put_through_the_form_reaches_every_nodes_kv_map_and_says_who_served_it()
    {
        StartCluster(nodes: 3, seed: 1);
        var leader = ElectLeader();
        var form = RenderForm();

        Type(form, "kv-key", "x");
        Type(form, "kv-value", "1");
        form.Find("[data-testid=kv-put]").Click();
        RunFor(1000);

        Assert.True(Pump.Read(c => c.Nodes.All(n => n.Kv.TryGetValue("x", out var v) && v == "1")), "x=1 is not on every node");
        var op = Pump.Read(c => c.History.Single());
        form.WaitForAssertion(() =>
        {
            Assert.Equal("ok", form.Find("[data-testid=kv-result]").GetAttribute("data-status"));
            Assert.Contains($"client #{op.Id}: put x=1", ResultText(form));
            Assert.Contains($"served by {leader} in {op.Elapsed!.Value.TotalMilliseconds:0} ms of simulated time", ResultText(form));
        });
    }

    [Fact]
    public void A_get_after_a_put_shows_the_value()
    {
        StartCluster(nodes: 3, seed: 2);
        ElectLeader();
        var form = RenderForm();
        Type(form, "kv-key", "colour");
        Type(form, "kv-value", "blue");
        form.Find("[data-testid=kv-put]").Click();
        RunFor(1000);
        form.Find("[data-testid=kv-get]").Click();
        RunFor(1000);

        form.WaitForAssertion(() => Assert.Equal("blue", form.Find("[data-testid=kv-result-value]").TextContent));
        Assert.Contains("get colour", ResultText(form));
    }

    [Theory]
    [InlineData("", "v", "kv-key", "The key is empty")]
    [InlineData("   ", "v", "kv-key", "The key is empty")]
    [InlineData("129", "v", "kv-key", "The key is 129 characters long; the limit is 128.")]
    [InlineData("k", "5000", "kv-value", "The value is 5000 bytes; the limit is 4096 bytes (4 KB).")]
    public void Bad_input_shows_a_validation_message_and_submits_nothing(string key, string value, string field, string message)
    {
        key = key == "129" ? new string('k', 129) : key;
        value = value == "5000" ? new string('v', 5000) : value;
        StartCluster();
        ElectLeader();
        var form = RenderForm();
        var before = Pump.Read(c => c.History.Count);

        Type(form, "kv-key", key);
        Type(form, "kv-value", value);
        form.Find("[data-testid=kv-put]").Click();

        var error = form.Find($".{field} .mud-input-helper-text").TextContent;
        Assert.Contains(message, error);
        Assert.Equal(before, Pump.Read(c => c.History.Count));
        Assert.Equal(before, Pump.Read(c => c.Events.OfType<ClientRequestStarted>().Count()));
        Assert.Equal("none", form.Find("[data-testid=kv-result]").GetAttribute("data-status"));
    }

    [Fact]
    public void Markup_in_a_value_is_shown_as_text()
    {
        const string evil = "<script>alert('x')</script><b>bold</b>";
        StartCluster();
        ElectLeader();
        var form = RenderForm();
        Type(form, "kv-key", "html");
        Type(form, "kv-value", evil);
        form.Find("[data-testid=kv-put]").Click();
        RunFor(1000);
        form.Find("[data-testid=kv-get]").Click();
        RunFor(1000);

        form.WaitForAssertion(() => Assert.Equal(evil, form.Find("[data-testid=kv-result-value]").TextContent));
        Assert.Empty(form.FindAll("script"));
        Assert.Empty(form.FindAll("[data-testid=kv-result] b"));
        Assert.Contains("&lt;script&gt;", form.Markup);
        Assert.True(Pump.Read(c => c.Nodes.All(n => n.Kv["html"] == evil)));
    }

    [Fact]
    public void Without_a_leader_the_form_says_so_and_shows_the_retries_until_the_timeout()
    {
        StartCluster(nodes: 3, seed: 4);
        var leader = ElectLeader();
        Drive(c => { c.Crash(leader); c.Crash(c.Nodes.First(n => n.Id != leader).Id); return 0; });
        var form = RenderForm();

        Type(form, "kv-key", "x");
        Type(form, "kv-value", "1");
        form.Find("[data-testid=kv-put]").Click();
        RunFor(1500);

        form.WaitForAssertion(() =>
        {
            Assert.Equal("pending", form.Find("[data-testid=kv-result]").GetAttribute("data-status"));
            Assert.Contains("There is no leader right now", form.Find("[data-testid=kv-no-leader]").TextContent);
            Assert.True(form.FindAll("[data-testid=kv-attempts] li").Count >= 2, "the retries are not listed");
        });

        RunFor(2000);
        form.WaitForAssertion(() =>
        {
            Assert.Equal("timeout", form.Find("[data-testid=kv-result]").GetAttribute("data-status"));
            Assert.Contains("timed out: no committed answer within 3 s", ResultText(form));
        });
        Assert.Empty(form.FindAll("[data-testid=kv-no-leader]"));
    }
}
