using RaftVisualizer.Core;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

/// <summary>The simulated client's two clocks: the per-attempt timeout and the operation's deadline.</summary>
public class ClientTimerTests
{
    [Fact]
    public void A_silent_server_is_given_up_on_after_exactly_the_attempt_timeout()
    {
        ForSeeds(10, seed =>
        {
            var cluster = NewCluster(5, seed);
            var leader = cluster.ElectLeader();
            var down = cluster.Nodes.First(n => n.Id != leader).Id;
            cluster.Crash(down);
            var op = cluster.Submit(KvCommand.Put("k", "v"), down);
            Assert.True(cluster.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(3)));
            Assert.Equal(KvStatus.Ok, op.Result!.Status);
            Assert.Equal(down, op.Attempts[0].To);
            Assert.Equal(op.Attempts[0].SentAt + cluster.Options.ClientAttemptTimeout, op.Attempts[1].SentAt);
            Assert.Equal($"{down} did not answer in time", op.Attempts[1].Why);
            Assert.NotEqual(down, op.Attempts[1].To);
            Assert.Equal(1, op.Attempts.Count(a => a.To == down)); // a server that went silent is not tried again
        });
    }

    [Fact]
    public void Without_a_quorum_each_operation_times_out_at_its_own_deadline_even_when_a_shorter_one_comes_later()
    {
        var cluster = NewCluster(5, 3);
        cluster.ElectLeader();
        foreach (var n in cluster.Nodes.Take(3)) cluster.Crash(n.Id);
        var start = cluster.Now;
        var longer = cluster.Submit(KvCommand.Put("a", "1"), timeout: TimeSpan.FromSeconds(3));
        var shorter = cluster.Submit(KvCommand.Put("b", "2"), timeout: TimeSpan.FromSeconds(1));
        cluster.RunFor(TimeSpan.FromSeconds(4));
        Assert.Equal(KvStatus.Timeout, shorter.Result!.Status);
        Assert.Equal(start + TimeSpan.FromSeconds(1), shorter.CompletedAt);
        Assert.Equal(KvStatus.Timeout, longer.Result!.Status);
        Assert.Equal(start + TimeSpan.FromSeconds(3), longer.CompletedAt);
        Assert.True(shorter.Attempts.Count > 1, "the client kept retrying until its deadline");
        cluster.AssertSafe();
    }
}
