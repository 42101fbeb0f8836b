using System.Security.Cryptography;
using System.Text;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Torture;

namespace RaftVisualizer.Tests.Core;

/// <summary>
/// A scenario must replay the same on every machine and across versions that only made the
/// simulation faster. These fingerprints were taken from the core before the hot-path rewrite
/// (commit d061945) and the rewritten core reproduces them exactly, so they pin the event stream
/// and the client histories across optimisations. A change that alters Raft or client behaviour
/// on purpose must update them and say so; an optimisation must never need to.
/// </summary>
public class StreamFingerprintTests
{
    [Theory]
    [InlineData(1UL, "F69A18E2E0F84388", 5239)]
    [InlineData(2UL, "02159B29678421DB", 2527)]
    [InlineData(3UL, "A9990C067973CC44", 4653)]
    public void A_torture_seed_gives_the_same_stream_as_before_the_rewrite(ulong seed, string fingerprint, int events)
    {
        TortureRun.Run(new TortureOptions { Seed = seed }, out var cluster);
        Assert.Equal((fingerprint, events), (Fingerprint(cluster), cluster.Events.Count));
    }

    [Theory]
    [InlineData(10, "31B1C8699AB3828A", 30121)]
    [InlineData(50, "17EC30A48CC384C0", 86493)]
    public void The_benchmark_load_gives_the_same_stream_as_before_the_rewrite(int concurrency, string fingerprint, int events)
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 5, Seed = 42 });
        var open = new List<ClientOperation>();
        var n = 0;
        while (cluster.Now < TimeSpan.FromSeconds(10))
        {
            open.RemoveAll(o => o.IsCompleted);
            while (open.Count < concurrency)
            {
                n++;
                open.Add(cluster.Submit(n % 3 == 0 ? KvCommand.Get($"k{n % 16}") : KvCommand.Put($"k{n % 16}", $"v{n}")));
            }
            cluster.RunFor(TimeSpan.FromMilliseconds(5));
        }
        Assert.Equal((fingerprint, events), (Fingerprint(cluster), cluster.Events.Count));
        Assert.True(cluster.Safety.IsSafe);
    }

    /// <summary>
    /// The typed causes (issue 15) ride on events that existed before them and add nothing else:
    /// with each event's cause cut off its text, every pinned fingerprint above is unchanged, so the
    /// behaviour is unchanged. This pins the causes themselves, for the same runs (re-pinned when
    /// configuration changes (thesis §4.1), client attempts (§8) and the leader's rules and applying
    /// (Figure 2) got causes of their own).
    /// </summary>
    [Theory]
    [InlineData(1UL, "8FC7361A502572DD", 5239)]
    [InlineData(2UL, "5DA7A70B879EA9F4", 2527)]
    public void The_causes_on_a_torture_seeds_events_are_pinned_too(ulong seed, string fingerprint, int events)
    {
        TortureRun.Run(new TortureOptions { Seed = seed }, out var cluster);
        Assert.Equal((fingerprint, events), (Fingerprint(cluster, withCauses: true), cluster.Events.Count));
        Assert.Contains(cluster.Events, e => Describe(e, withCauses: true).Contains(", Cause = ", StringComparison.Ordinal));
    }

    /// <summary>A hash of every event and of every client operation with its attempts, answer and completion time.</summary>
    private static string Fingerprint(Cluster cluster, bool withCauses = false)
    {
        var text = new StringBuilder();
        foreach (var e in cluster.Events) text.Append(Describe(e, withCauses)).Append('\n');
        foreach (var op in cluster.History)
            text.Append(op).Append(' ').Append(op.CompletedAt).Append(' ')
                .Append(string.Join(",", op.Attempts.Select(a => $"{a.Number}:{a.To}@{a.SentAt}:{a.Why}"))).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    // Message events print their message by fields that every version shares (with causes: and the reply's cause).
    private static string Describe(ClusterEvent e, bool withCauses) => e switch
    {
        MessageSent s => $"sent {s.Time} {s.MessageId} {s.Message.Kind} {s.Message.From}->{s.Message.To} t{s.Message.Term} {s.ArrivesAt}"
            + (withCauses ? ReplyCause(s.Message) : ""),
        MessageDelivered d => $"delivered {d.Time} {d.MessageId}",
        MessageDropped x => $"dropped {x.Time} {x.MessageId} {x.Reason}",
        _ => withCauses ? e.ToString() : WithoutCause(e.ToString()),
    };

    private static string ReplyCause(RaftMessage m) => m switch
    {
        RequestVoteReply r => $" {r.Cause}",
        AppendEntriesReply r => $" {r.Cause}",
        AppendEntries a => $" {a.Cause}",
        _ => "",
    };

    /// <summary>An event's text as it was before events carried causes: the cause is the last member, so it is cut from there.</summary>
    private static string WithoutCause(string text) =>
        text.IndexOf(", Cause = ", StringComparison.Ordinal) is var at and >= 0 ? text[..at] + " }" : text;
}
