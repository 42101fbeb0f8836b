using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace RaftVisualizer.Classroom;

/// <summary>
/// Around every call to <see cref="ClusterHub"/>: a token bucket per connection (so one client cannot flood
/// the server), and the logging of what went wrong. A refusal (a <see cref="HubException"/>: a bad code,
/// key, node or value) is information, logged once in one short line with no stack trace; anything else is a
/// bug, logged as an error with its stack trace, and the client is told only that the server failed.
/// </summary>
public sealed partial class ClusterHubFilter(IOptions<RoomOptions> options, ILogger<ClusterHubFilter> logger, TimeProvider time) : IHubFilter
{
    /// <summary>Longest part of a refusal that goes into the log.</summary>
    private const int MaxLoggedReason = 200;
    private static readonly object BucketKey = new();

    public const string Failed = "The server failed to do that; the error is logged. Try again, or reload the page.";

    private RoomOptions Options => options.Value;

    public string TooManyCalls =>
        $"Too many calls from this connection: the limit is {Options.HubCallBurst} at once and {Options.HubCallsPerSecond:0.#} a second after that. Wait a moment and try again.";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var connection = invocation.Context.ConnectionId;
        var method = invocation.HubMethodName;
        var bucket = Bucket(invocation.Context);
        switch (bucket.TryTake())
        {
            case CallBucket.Outcome.FirstRefusal:
                LogRateLimited(logger, connection, Options.HubCallBurst, Options.HubCallsPerSecond);
                throw new HubException(TooManyCalls);
            case CallBucket.Outcome.Refused:
                LogStillRateLimited(logger, connection, method);
                throw new HubException(TooManyCalls);
        }
        try
        {
            return await next(invocation);
        }
        catch (HubException refusal)
        {
            // Said once: the same refusal again on this connection (a script retrying) goes to Debug.
            if (bucket.IsRepeat(method, refusal.Message)) LogRefusedAgain(logger, method, connection, Shorten(refusal.Message));
            else LogRefused(logger, method, connection, Shorten(refusal.Message));
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, method, connection, e);
            throw new HubException(Failed);
        }
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        Bucket(context.Context);
        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        // An oversized or malformed message closes the connection (SignalR sends the client the reason).
        if (exception is InvalidDataException) LogProtocolError(logger, context.Context.ConnectionId, Shorten(exception.Message));
        return next(context, exception);
    }

    private CallBucket Bucket(HubCallerContext context)
    {
        lock (context.Items)
        {
            if (context.Items.TryGetValue(BucketKey, out var found) && found is CallBucket bucket) return bucket;
            bucket = new CallBucket(Options.HubCallBurst, Options.HubCallsPerSecond, time);
            context.Items[BucketKey] = bucket;
            return bucket;
        }
    }

    private static string Shorten(string s) => s.Length <= MaxLoggedReason ? s : s[..MaxLoggedReason] + "…";

    [LoggerMessage(1, LogLevel.Information, "Hub call {Method} from {Connection} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string connection, string reason);

    [LoggerMessage(2, LogLevel.Information, "Connection {Connection} is over its hub call rate ({Burst} at once, {PerSecond} a second); its refusals for the next minute are logged at Debug.")]
    private static partial void LogRateLimited(ILogger logger, string connection, int burst, double perSecond);

    [LoggerMessage(3, LogLevel.Debug, "Hub call {Method} from {Connection} refused: over the rate limit.")]
    private static partial void LogStillRateLimited(ILogger logger, string connection, string method);

    [LoggerMessage(6, LogLevel.Debug, "Hub call {Method} from {Connection} refused again: {Reason}")]
    private static partial void LogRefusedAgain(ILogger logger, string method, string connection, string reason);

    [LoggerMessage(4, LogLevel.Error, "Hub call {Method} from {Connection} failed.")]
    private static partial void LogFailed(ILogger logger, string method, string connection, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Connection {Connection} closed for a bad message: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, string connection, string reason);
}

/// <summary>
/// One connection's call budget, a token bucket: <c>capacity</c> calls at once, refilled at <c>perSecond</c>.
/// Remembers when it last reported being over its rate, and its last refusal, so each is logged once.
/// </summary>
internal sealed class CallBucket
{
    public enum Outcome { Taken, FirstRefusal, Refused }

    private readonly object _gate = new();
    private readonly double _capacity;
    private readonly double _perSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _stamp;
    private long? _reportedAt;
    private string? _lastRefusal;

    /// <summary>A connection over its rate is reported at most this often; its other refusals are Debug lines.</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(1);

    public CallBucket(double capacity, double perSecond, TimeProvider time)
    {
        _capacity = _tokens = capacity;
        _perSecond = perSecond;
        _time = time;
        _stamp = time.GetTimestamp();
    }

    /// <summary>True when this is the same refusal as the last one on this connection; remembers it.</summary>
    public bool IsRepeat(string method, string refusal)
    {
        var key = method + "\n" + refusal;
        lock (_gate)
        {
            if (key == _lastRefusal) return true;
            _lastRefusal = key;
            return false;
        }
    }

    public Outcome TryTake()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + _time.GetElapsedTime(_stamp, now).TotalSeconds * _perSecond);
            _stamp = now;
            if (_tokens >= 1)
            {
                _tokens--;
                return Outcome.Taken;
            }
            if (_reportedAt is { } at && _time.GetElapsedTime(at, now) < ReportEvery) return Outcome.Refused;
            _reportedAt = now;
            return Outcome.FirstRefusal;
        }
    }
}

/// <summary>Registers the classroom hub's limits, its filter and its logging (one line in the host's registration).</summary>
public static class ClusterHubRegistration
{
    /// <summary>The category whose error line SignalR writes, with a stack trace, for every exception a hub method throws.</summary>
    public const string DispatcherLogCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public static IServiceCollection AddClassroomHub(this IServiceCollection services)
    {
        var signalr = services.AddSignalR(); // idempotent: the API's registration adds it too
        services.AddSingleton(sp => new ClusterHubFilter(
            sp.GetRequiredService<IOptions<RoomOptions>>(), sp.GetRequiredService<ILogger<ClusterHubFilter>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        signalr.AddHubOptions<ClusterHub>(o =>
        {
            o.AddFilter<ClusterHubFilter>();
            // The client then sees why a message was refused or its connection closed (an oversized or malformed
            // message); a hub method's own failures reach it only as ClusterHubFilter.Failed.
            o.EnableDetailedErrors = true;
        });
        services.AddOptions<HubOptions<ClusterHub>>().Configure<IOptions<RoomOptions>>((hub, rooms) => hub.MaximumReceiveMessageSize = rooms.Value.MaxHubMessageBytes);
        // ClusterHubFilter logs every exception of a hub method once, briefly for a refusal. SignalR's own line
        // for the same exception (an error with a stack trace, the only error this category writes) would repeat it.
        services.AddLogging(logging => logging.AddFilter(DispatcherLogCategory, LogLevel.Critical));
        return services;
    }
}
