using System.Reflection;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Sessions;

/// <summary>
/// Views, the hub and the HTTP API change a cluster only by typed commands (design: "never lambdas over
/// the live cluster"): neither the pump nor the timeline offers a public way to run a function on the head,
/// and no code of the app calls the pump's test-only hook.
/// </summary>
public sealed class TypedCommandsOnlyTests
{
    private static bool TakesAFunctionOfTheCluster(MethodInfo m) =>
        m.GetParameters().Any(p => p.ParameterType.IsGenericType &&
                                   p.ParameterType.GetGenericTypeDefinition() is var d && (d == typeof(Func<,>) || d == typeof(Action<>)) &&
                                   p.ParameterType.GetGenericArguments()[0] == typeof(Cluster));

    [Theory]
    [InlineData(typeof(ClusterPump))]
    [InlineData(typeof(Timeline))]
    public void No_public_method_changes_the_cluster_through_a_lambda(Type type)
    {
        var lambdas = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name.StartsWith("Execute", StringComparison.Ordinal) && TakesAFunctionOfTheCluster(m))
            .Select(m => m.ToString()).ToArray();

        Assert.Empty(lambdas);
    }

    [Fact]
    public void No_page_hub_or_endpoint_calls_the_pumps_test_hook()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "RaftVisualizer.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var app = Path.Combine(root.FullName, "RaftVisualizer");
        var callers = Directory.EnumerateFiles(app, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) != "ClusterPump.cs" && File.ReadAllText(f).Contains(".ExecuteForTest(", StringComparison.Ordinal))
            .ToArray();

        Assert.True(Directory.Exists(Path.Combine(app, "Api")), app);
        Assert.Empty(callers);
    }
}
