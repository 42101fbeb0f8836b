using System.Security.Cryptography;
using System.Text;
using RaftVisualizer.Core;
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

    /// <summary>A hash of every event and of every client operation with its attempts, answer and completion time.</summary>
    private static string Fingerprint(Cluster cluster)
    {
        var text = new StringBuilder();
        foreach (var e in cluster.Events) text.Append(Describe(e)).Append('\n');
        foreach (var op in cluster.History)
            text.Append(op).Append(' ').Append(op.CompletedAt).Append(' ')
                .Append(string.Join(",", op.Attempts.Select(a => $"{a.Number}:{a.To}@{a.SentAt}:{a.Why}"))).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    // Message events print their message by fields that every version shares.
    private static string Describe(ClusterEvent e) => e switch
    {
        MessageSent s => $"sent {s.Time} {s.MessageId} {s.Message.Kind} {s.Message.From}->{s.Message.To} t{s.Message.Term} {s.ArrivesAt}",
        MessageDelivered d => $"delivered {d.Time} {d.MessageId}",
        MessageDropped x => $"dropped {x.Time} {x.MessageId} {x.Reason}",
        _ => e.ToString(),
    };
}
