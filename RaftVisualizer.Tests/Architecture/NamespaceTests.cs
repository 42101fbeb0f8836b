using System.Text.RegularExpressions;

namespace RaftVisualizer.Tests.Architecture;

/// <summary>
/// A file's folder is its namespace, in every project: someone looking for a type finds it where
/// its namespace says, and a folder reads as one part of the design.
/// </summary>
public sealed partial class NamespaceTests
{
    [Theory]
    [InlineData("RaftVisualizer")]
    [InlineData("RaftVisualizer.Core")]
    [InlineData("RaftVisualizer.Tests")]
    [InlineData("RaftVisualizer.Torture")]
    [InlineData("RaftVisualizer.Benchmarks")]
    public void Every_file_declares_the_namespace_of_its_folder(string project)
    {
        var root = Path.Combine(RepoRoot(), project);
        var wrong = new List<string>();
        var checkedFiles = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar) || relative.StartsWith("obj" + Path.DirectorySeparatorChar)) continue;
            var match = NamespaceLine().Match(File.ReadAllText(file));
            if (!match.Success) continue; // top-level statements (Program.cs)
            var folder = Path.GetDirectoryName(relative) ?? "";
            var expected = folder.Length == 0 ? project : project + "." + folder.Replace(Path.DirectorySeparatorChar, '.');
            checkedFiles++;
            if (match.Groups[1].Value != expected) wrong.Add($"{relative}: namespace {match.Groups[1].Value}, folder says {expected}");
        }
        Assert.True(checkedFiles > 0, $"no source files found under {root}");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [GeneratedRegex(@"^namespace ([\w.]+)\s*[;{]", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RaftVisualizer.sln"))) return dir.FullName;
        throw new InvalidOperationException("RaftVisualizer.sln not found above " + AppContext.BaseDirectory);
    }
}
