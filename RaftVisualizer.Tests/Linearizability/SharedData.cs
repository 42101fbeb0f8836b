namespace RaftVisualizer.Tests.Linearizability;

/// <summary>Locates the repository's shared data folder, which lives beside the repository (../shared).</summary>
internal static class SharedData
{
    /// <summary>
    /// The folder <c>shared/data/<paramref name="name"/></c> beside the nearest ancestor of the test
    /// binaries that has one.
    /// </summary>
    public static string Find(string name)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No shared/data/{name} folder beside any ancestor of {AppContext.BaseDirectory}.");
    }
}
