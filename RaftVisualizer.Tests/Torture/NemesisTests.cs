using RaftVisualizer.Core;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Simulation;
using RaftVisualizer.Core.Torture;

namespace RaftVisualizer.Tests.Torture;

public class NemesisTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void A_ring_of_overlapping_majorities_lets_every_server_reach_a_majority_but_no_two_the_same(int nodes)
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = nodes, Seed = 3 });
        var nemesis = new Nemesis(cluster, new SimRandom(3), NemesisProfile.Mixed);
        Assert.StartsWith("ring of overlapping majorities", nemesis.Inflict(Fault.MajorityRing));

        var ids = cluster.Nodes.Select(n => n.Id).ToArray();
        var reach = ids.ToDictionary(a => a, a => ids.Where(b => cluster.Network.CanReach(a, b)).ToHashSet());
        Assert.All(ids, a => Assert.Equal(nodes / 2 + 1, reach[a].Count));               // itself and its neighbours: a majority
        Assert.All(ids, a => Assert.All(reach[a], b => Assert.True(cluster.Network.CanReach(b, a)))); // links are symmetric
        Assert.Equal(nodes, reach.Values.Select(r => string.Join(",", r.Order())).Distinct().Count()); // all different
        Assert.Single(cluster.Network.Groups);                                           // made of cuts, not groups
    }

    [Fact]
    public void Faults_that_do_not_apply_are_refused_without_touching_the_cluster()
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 1 });
        var nemesis = new Nemesis(cluster, new SimRandom(1), NemesisProfile.Mixed);
        var actions = cluster.Scenario.Commands.Count;
        Assert.Null(nemesis.Inflict(Fault.IsolateLeader));   // no leader yet
        Assert.Null(nemesis.Inflict(Fault.RestartNode));     // nobody is down
        Assert.Null(nemesis.Inflict(Fault.Heal));            // nothing to heal
        Assert.Null(nemesis.Inflict(Fault.MajorityRing));    // with three servers every pair are neighbours
        Assert.Equal(actions, cluster.Scenario.Commands.Count);
    }

    [Fact]
    public void Healing_restores_every_link_the_calm_network_and_every_server()
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 5, Seed = 9 });
        cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5));
        var nemesis = new Nemesis(cluster, new SimRandom(9), NemesisProfile.Mixed);
        foreach (var f in new[] { Fault.CrashMajority, Fault.OneWayCut, Fault.Loss, Fault.Duplication, Fault.LongDelays, Fault.SlowLink })
            Assert.NotNull(nemesis.Inflict(f));
        Assert.True(cluster.Network.IsDisturbed);

        nemesis.HealAll();
        Assert.False(cluster.Network.IsDisturbed);
        Assert.Equal((0.0, 0.0), (cluster.Network.LossRate, cluster.Network.DuplicateRate));
        Assert.Equal((cluster.Options.MinLatency, cluster.Options.MaxLatency), (cluster.Network.MinLatency, cluster.Network.MaxLatency));
        Assert.All(cluster.Nodes, n => Assert.True(n.IsUp));
        Assert.True(cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Each_targeted_mode_tells_its_story_and_auto_picks_it_for_its_broken_rule()
    {
        Assert.Equal(NemesisMode.Figure8, NemesisProfile.Resolve(NemesisMode.Auto, BrokenRules.CommitPreviousTermByCounting));
        Assert.Equal(NemesisMode.VoterAmnesia, NemesisProfile.Resolve(NemesisMode.Auto, BrokenRules.ForgetVotedForOnRestart));
        Assert.Equal(NemesisMode.StaleCandidate, NemesisProfile.Resolve(NemesisMode.Auto, BrokenRules.VoteWithoutUpToDateCheck));
        Assert.Equal(NemesisMode.StaleReads, NemesisProfile.Resolve(NemesisMode.Auto, BrokenRules.ReadsFromAnyNode));
        Assert.Equal(NemesisMode.Mixed, NemesisProfile.Resolve(NemesisMode.Auto, BrokenRules.None));
        Assert.Equal(NemesisMode.Mixed, NemesisProfile.Resolve(NemesisMode.Mixed, BrokenRules.ReadsFromAnyNode));
        foreach (var mode in Enum.GetValues<NemesisMode>().Where(m => m != NemesisMode.Auto))
            Assert.True(NemesisProfile.For(mode).Story.Length > 100, $"{mode} needs a story a student can follow");
    }
}
