using Microsoft.Extensions.Options;

namespace RaftVisualizer.Classroom;

/// <summary>Closes idle rooms every <see cref="RoomOptions.SweepInterval"/>.</summary>
public sealed class RoomSweeper(RoomRegistry registry, IOptions<RoomOptions> options, ILogger<RoomSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var closed = registry.SweepIdle();
                if (closed > 0) logger.LogInformation("Closed {Count} idle room(s); {Open} open.", closed, registry.Count);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
