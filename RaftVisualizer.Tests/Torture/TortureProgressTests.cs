using RaftVisualizer.Core.Safety;
using RaftVisualizer.Torture;

namespace RaftVisualizer.Tests.Torture;

/// <summary>The torture CLI's progress: the numbers it shows, and plain lines when nobody watches a terminal.</summary>
public class TortureProgressTests
{
    [Fact]
    public void Rate_fraction_and_time_left_come_from_the_seeds_done_so_far()
    {
        var p = new TortureProgress(Done: 2_500, Total: 10_000, Failed: 3, Elapsed: TimeSpan.FromSeconds(5));

        Assert.Equal(500, p.SeedsPerSecond);
        Assert.Equal(0.25, p.Fraction);
        Assert.Equal(TimeSpan.FromSeconds(15), p.TimeLeft);
        Assert.Equal("2,500 of 10,000 seeds (25%)   500 seeds/s   3 failed   about 15 s left", p.Describe());
    }

    [Fact]
    public void Before_the_first_seed_the_time_left_is_unknown_and_at_the_end_it_is_done()
    {
        Assert.Null(new TortureProgress(0, 100, 0, TimeSpan.FromSeconds(1)).TimeLeft);
        Assert.Null(new TortureProgress(0, 100, 0, TimeSpan.Zero).TimeLeft);
        Assert.Equal(0, new TortureProgress(0, 100, 0, TimeSpan.Zero).SeedsPerSecond);
        Assert.Contains("time left unknown", new TortureProgress(0, 100, 0, TimeSpan.Zero).Describe());
        Assert.Equal(TimeSpan.Zero, new TortureProgress(100, 100, 1, TimeSpan.FromSeconds(2)).TimeLeft);
        Assert.EndsWith("1 failed   done", new TortureProgress(100, 100, 1, TimeSpan.FromSeconds(2)).Describe());
        // a partial second of estimate rounds up: never "0 s left" while seeds remain
        Assert.Equal(TimeSpan.FromSeconds(1), new TortureProgress(999, 1_000, 0, TimeSpan.FromSeconds(10)).TimeLeft);
    }

    [Theory]
    [InlineData(45, "45 s")]
    [InlineData(185, "3 min 05 s")]
    [InlineData(7_620, "2 h 07 min")]
    [InlineData(0.2, "1 s")]
    public void Durations_read_as_a_person_says_them(double seconds, string text) =>
        Assert.Equal(text, TortureProgress.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void A_plain_line_is_due_every_tenth_of_the_seeds_or_every_ten_seconds_and_at_the_end()
    {
        Assert.False(PlainProgressDisplay.IsDue(new(50, 1_000, 0, TimeSpan.FromSeconds(3)), 0, TimeSpan.Zero));
        Assert.True(PlainProgressDisplay.IsDue(new(100, 1_000, 0, TimeSpan.FromSeconds(3)), 0, TimeSpan.Zero));
        Assert.True(PlainProgressDisplay.IsDue(new(150, 1_000, 0, TimeSpan.FromSeconds(13)), 100, TimeSpan.FromSeconds(3)));
        Assert.False(PlainProgressDisplay.IsDue(new(150, 1_000, 0, TimeSpan.FromSeconds(12)), 100, TimeSpan.FromSeconds(3)));
        Assert.True(PlainProgressDisplay.IsDue(new(1_000, 1_000, 0, TimeSpan.FromSeconds(12)), 950, TimeSpan.FromSeconds(11)));
    }

    [Fact]
    public void Output_that_is_not_a_terminal_or_runs_in_CI_gets_plain_lines()
    {
        Assert.IsType<PlainProgressDisplay>(ProgressDisplay.For(new StringWriter()));
        Assert.IsType<PlainProgressDisplay>(ProgressDisplay.For(Console.Out, name => name == "CI" ? "true" : null));
    }

    [Fact]
    public void A_run_written_to_a_file_prints_a_few_plain_progress_lines_and_the_summary()
    {
        var output = new StringWriter();

        var exit = TortureCommand.Run(["--seeds", "300", "--parallel", "2"], output);

        Assert.Equal(0, exit);
        var lines = output.ToString().Split('\n');
        var progress = lines.Where(l => l.StartsWith("  ... ", StringComparison.Ordinal)).ToList();
        Assert.InRange(progress.Count, 1, 11);
        Assert.Contains(progress, l => l.Contains("300 of 300 seeds (100%)") && l.Contains("0 failed   done"));
        Assert.DoesNotContain('\u001b', output.ToString()); // no cursor codes in a file
        Assert.Contains(lines, l => l.StartsWith("seeds run: 300   passed: 300   failed: 0", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("wall time: ", StringComparison.Ordinal) && l.Contains("seeds/minute"));
    }

    [Fact]
    public void A_failing_seed_is_printed_at_once_with_its_reproduction_and_again_in_the_summary()
    {
        var output = new StringWriter();
        var folder = Path.Combine(Path.GetTempPath(), "raftvis-torture-" + Guid.NewGuid().ToString("N"));
        try
        {
            var exit = TortureCommand.Run(["--seeds", "20", "--broken", "VoteWithoutUpToDateCheck", "--out", folder, "--progress", "plain"], output);

            Assert.Equal(1, exit);
            var text = output.ToString();
            Assert.Contains("  FAIL seed ", text);
            Assert.Contains("first failures (scenarios in", text);
            Assert.Contains("dotnet run --project RaftVisualizer.Torture -- --seed ", text);
            Assert.Matches(@"\d+ failed", text.Split('\n').Last(l => l.StartsWith("  ... ", StringComparison.Ordinal)));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_unknown_progress_mode_is_refused_with_the_usage()
    {
        var output = new StringWriter();
        Assert.Equal(2, TortureCommand.Run(["--seeds", "5", "--progress", "fancy"], output));
        Assert.Contains("--progress takes auto or plain", output.ToString());
    }
}
