using RaftVisualizer.Core;
using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Tests.Core;

public class EventQueueTests
{
    [Fact]
    public void Events_come_out_in_time_order_and_ties_in_the_order_they_were_scheduled()
    {
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var random = new SimRandom(seed);
            var queue = new EventQueue();
            var expected = new List<(long Ticks, int Order)>();
            var order = 0;
            // Few distinct times, so most events tie; dequeues interleave with schedules as in a run.
            for (var round = 0; round < 200; round++)
            {
                for (var k = random.Next(8); k > 0; k--)
                {
                    var ticks = (long)random.Next(50);
                    queue.Schedule(TimeSpan.FromTicks(ticks), new SimEvent(SimEventKind.Deliver, 1, order, null));
                    expected.Add((ticks, order++));
                }
                if (queue.Count > 0 && random.Next(3) == 0) Drain(queue, expected, 1);
            }
            Drain(queue, expected, queue.Count);
            Assert.Empty(expected);
        }
    }

    /// <summary>Dequeues <paramref name="count"/> events, each the earliest (then first-scheduled) still expected.</summary>
    private static void Drain(EventQueue queue, List<(long Ticks, int Order)> expected, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var next = expected.OrderBy(e => e.Ticks).ThenBy(e => e.Order).First();
            Assert.True(queue.TryPeekTime(out var peeked));
            var e = queue.Dequeue(out var at);
            Assert.Equal((next.Ticks, next.Order), (at.Ticks, (int)e.Generation));
            Assert.Equal(at, peeked);
            expected.Remove(next);
        }
    }

    [Fact]
    public void An_empty_queue_has_no_next_time()
    {
        var queue = new EventQueue();
        Assert.False(queue.TryPeekTime(out _));
        queue.Schedule(TimeSpan.FromMilliseconds(5), new SimEvent(SimEventKind.Deliver, 1, 0, null));
        queue.Dequeue(out _);
        Assert.False(queue.TryPeekTime(out _));
        Assert.Equal(0, queue.Count);
    }
}
