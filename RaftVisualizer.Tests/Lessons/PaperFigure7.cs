namespace RaftVisualizer.Tests.Lessons;

/// <summary>
/// Figure 7 of the Raft paper as the shared data file writes it down
/// (<c>shared/data/raft-paper-figures.md</c>, beside the repository): the new leader's log and the
/// followers' logs, as the term of each entry from index 1.
/// </summary>
internal sealed class PaperFigure7
{
    private PaperFigure7(long leaderTerm, IReadOnlyList<long> leader, IReadOnlyDictionary<char, IReadOnlyList<long>> followers)
    {
        LeaderTerm = leaderTerm;
        Leader = leader;
        Followers = followers;
    }

    /// <summary>The term the figure's leader leads (the row "leader (term 8)").</summary>
    public long LeaderTerm { get; }

    public IReadOnlyList<long> Leader { get; }

    /// <summary>The followers (a) to (f), by letter.</summary>
    public IReadOnlyDictionary<char, IReadOnlyList<long>> Followers { get; }

    public static PaperFigure7 Load()
    {
        var lines = File.ReadAllLines(FindFile());
        var start = Array.FindIndex(lines, l => l.StartsWith("## Figure 7", StringComparison.Ordinal));
        Assert.True(start >= 0, "the shared data file has no Figure 7 section");
        long? leaderTerm = null;
        IReadOnlyList<long>? leader = null;
        var followers = new Dictionary<char, IReadOnlyList<long>>();
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 4 || cells[2].Length == 0 || !char.IsDigit(cells[2][0])) continue; // not a row of terms
            var terms = cells[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
            var server = cells[1];
            if (server.StartsWith("leader (term ", StringComparison.Ordinal))
            {
                leaderTerm = long.Parse(server["leader (term ".Length..].TrimEnd(')'));
                leader = terms;
            }
            else if (server is ['(', var letter, ')']) followers[letter] = terms;
        }
        Assert.True(leaderTerm is not null && leader is not null, "Figure 7's table has no leader row");
        return new PaperFigure7(leaderTerm!.Value, leader!, followers);
    }

    private static string FindFile()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "raft-paper-figures.md");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"No shared/data/raft-paper-figures.md beside any ancestor of {AppContext.BaseDirectory}.");
    }
}
