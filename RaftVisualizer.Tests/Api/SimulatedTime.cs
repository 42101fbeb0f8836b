using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using RaftVisualizer.Core;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Api;

/// <summary>
/// Drives the app's default cluster by simulated time. Its clock is a <see cref="FakeTimeProvider"/> that
/// moves only when a test moves it, in <see cref="Step"/>s, each followed by a pump tick; so how far the
/// simulation gets never depends on how busy the machine is, only on what the test asks for.
/// </summary>
public sealed class SimulatedTime(FakeTimeProvider clock, ClusterPump pump)
{
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    /// <summary>How much simulated time one request may take: well past the client's own 3 s timeout.</summary>
    public static readonly TimeSpan RequestBudget = TimeSpan.FromSeconds(10);
    /// <summary>Wall time a request may take to reach the cluster or to answer once it has: a safety net, never an expectation.</summary>
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(60);

    private readonly Lock _gate = new();
    private readonly PublishCounter _publishes = new(pump);

    /// <summary>The cluster's simulated time.</summary>
    public TimeSpan Now => pump.Read(c => c.Now);

    public T Read<T>(Func<Cluster, T> query) => pump.Read(query);

    public void Advance(TimeSpan span)
    {
        for (var t = TimeSpan.Zero; t < span; t += Step) StepOnce();
    }

    /// <summary>Advances until <paramref name="condition"/> holds; fails once <paramref name="budget"/> of simulated time passed without it.</summary>
    public void RunUntil(Func<Cluster, bool> condition, TimeSpan budget, string what)
    {
        var end = Now + budget;
        while (!pump.Read(condition))
        {
            if (Now >= end) Assert.Fail($"{what}: not within {budget.TotalSeconds} simulated seconds.");
            StepOnce();
        }
    }

    public void RunUntilLeader() => RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5), "A leader is elected");

    /// <summary>
    /// Sends a request and moves simulated time exactly as long as the request needs it: from the moment its
    /// client operation is submitted until that operation has an answer and the pump has published it (which
    /// wakes the waiting request). Until the operation is submitted, and for requests that submit none,
    /// simulated time stands still.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        var lastBefore = pump.Read(c => c.History.Count > 0 ? c.History[^1].Id : 0);
        var response = send();
        var wall = Stopwatch.StartNew();
        TimeSpan? end = null;
        long? publishesAtAnswer = null;
        while (!response.IsCompleted)
        {
            var (submitted, answered, now) = pump.Read(c =>
            {
                var mine = c.History.Where(o => o.Id > lastBefore).ToArray();
                return (mine.Length > 0, mine.All(o => o.IsCompleted), c.Now);
            });
            if (submitted && !answered)
            {
                end ??= now + RequestBudget;
                if (now >= end) Assert.Fail($"The request's operation had no answer within {RequestBudget.TotalSeconds} simulated seconds.");
                StepOnce();
                continue;
            }
            if (submitted)
            {
                publishesAtAnswer ??= _publishes.Count;
                if (_publishes.Count == publishesAtAnswer)
                {
                    StepOnce();
                    continue;
                }
            }
            await Task.WhenAny(response, Task.Delay(5));
            if (wall.Elapsed > SafetyNet) Assert.Fail($"The request did not finish within {SafetyNet.TotalSeconds} s of wall time.");
        }
        return await response;
    }

    private void StepOnce()
    {
        lock (_gate)
        {
            clock.Advance(Step);
            pump.Tick();
        }
    }

    /// <summary>Counts the pump's publishes, so a request waiting for the one after its answer can tell when it came.</summary>
    private sealed class PublishCounter
    {
        private long _count;

        public PublishCounter(ClusterPump pump) => pump.FramePublished += _ => Interlocked.Increment(ref _count);

        public long Count => Interlocked.Read(ref _count);
    }
}
