using System.Runtime.InteropServices;

namespace RaftVisualizer.Tests.Infrastructure;

/// <summary>
/// The processor time the calling OS thread has used: what a synchronous piece of work costs,
/// whatever else the machine is doing. A wall-clock stopwatch also counts the time the thread
/// waited for a core, so on a loaded machine (other test classes, other builds) it measures the
/// load, not the work.
/// </summary>
internal static class ThreadCpuTime
{
    /// <summary>Runs <paramref name="work"/> on this thread and returns its result and the processor time it took.</summary>
    public static (T Result, TimeSpan Cpu) Measure<T>(Func<T> work)
    {
        var before = Now();
        var result = work();
        return (result, Now() - before);
    }

    /// <summary>This thread's processor time so far (user plus kernel).</summary>
    public static TimeSpan Now()
    {
        if (OperatingSystem.IsWindows())
        {
            if (!GetThreadTimes(GetCurrentThread(), out _, out _, out var kernel, out var user))
                throw new InvalidOperationException($"GetThreadTimes failed ({Marshal.GetLastPInvokeError()}).");
            return TimeSpan.FromTicks(kernel + user); // both in 100 ns units, like TimeSpan ticks
        }

        // Linux and macOS: the thread's CPU-time clock.
        var clock = OperatingSystem.IsMacOS() ? 16 : 3; // CLOCK_THREAD_CPUTIME_ID
        if (clock_gettime(clock, out var spec) != 0)
            throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed ({Marshal.GetLastPInvokeError()}).");
        return TimeSpan.FromTicks(spec.Seconds * TimeSpan.TicksPerSecond + spec.Nanoseconds / 100);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clockId, out TimeSpec time);

    [DllImport("kernel32")]
    private static extern nint GetCurrentThread();

    [DllImport("kernel32", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool GetThreadTimes(nint thread, out long creation, out long exit, out long kernel, out long user);
}
