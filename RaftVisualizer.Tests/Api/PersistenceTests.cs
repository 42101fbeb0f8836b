using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using RaftVisualizer.Api;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Persistence;
using RaftVisualizer.Tests.Classroom;

namespace RaftVisualizer.Tests.Api;

/// <summary>The real app on a data folder the test chooses, with its log lines recorded.</summary>
public sealed class PersistentAppFixture(string dataFolder) : SimulatedAppFixture(dataFolder)
{
    public LogRecorder Logs { get; } = new();

    protected override IEnumerable<(string, string)> Settings => [("Api:RateLimitPermits", "100000")];

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}

/// <summary>
/// The default cluster's disks survive an app restart: the app is stopped and a new one started on the
/// same data folder (Kestrel, real sockets), and it comes back with the same terms, logs, servers and keys.
/// </summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "raftvis-tests", "persist-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private async Task<PersistentAppFixture> StartAsync()
    {
        var app = new PersistentAppFixture(_folder);
        await app.InitializeAsync();
        return app;
    }

    /// <summary>Each server's (id, term, last log index, snapshot index), as the status shows them.</summary>
    private static (string, long, long)[] Disks(JsonElement status) =>
        status.GetProperty("nodes").EnumerateArray()
            .Select(n => (n.GetProperty("id").GetString()!, n.GetProperty("term").GetInt64(), n.GetProperty("lastLogIndex").GetInt64())).ToArray();

    /// <summary>A first app: writes keys through the HTTP API, adds a fourth... sixth server, and stops. Returns what its status showed last.</summary>
    private async Task<(string, long, long)[]> FirstRunAsync()
    {
        var app = await StartAsync();
        try
        {
            using var client = app.CreateClient();
            app.Sim.RunUntilLeader();
            await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("colour", "blue"));
            await ApiAssert.OkAsync<KvResponse>(await client.PostAsync("api/kv/list", new StringContent("a")));
            for (var i = 0; i < 5; i++) await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync($"k{i}", $"v{i}"));
            Assert.True(app.Cluster.Pump.Execute(new ClusterCommand.AddServer()).Ok);
            app.Sim.RunUntil(c => c.Configuration.IsVoter(new NodeId(6)), TimeSpan.FromSeconds(10), "S6 becomes a voter");
            await ApiAssert.OkAsync<KvResponse>(await client.DeleteAsync("api/kv/k4"));
            app.Sim.RunUntil(c => c.Nodes.All(n => n.CommitIndex == c.Nodes[0].LastLogIndex && n.LastLogIndex == c.Nodes[0].LastLogIndex), TimeSpan.FromSeconds(5), "Every server holds and commits the whole log");
            return Disks(await client.StatusAsync());
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_app_restart_comes_back_with_the_same_terms_logs_servers_and_keys()
    {
        var before = await FirstRunAsync();
        Assert.True(File.Exists(Path.Combine(_folder, "S1.json")));
        Assert.True(File.Exists(Path.Combine(_folder, "S6.json")));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));

        var app = await StartAsync();
        try
        {
            using var client = app.CreateClient();
            var status = await client.StatusAsync(); // before simulated time moves at all
            Assert.Equal(before, Disks(status));
            Assert.True(app.Cluster.Pump.Read(c => c.StartedFromDisks));
            Assert.Equal("config S1 S2 S3 S4 S5 S6", app.Cluster.Pump.Read(c => c.Configuration.ToString()));
            Assert.Contains(app.Logs.Lines, l => l.Message.Contains("starts from 6 disk(s)"));

            Assert.Equal("blue", (await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/colour"))).Value);
            Assert.Equal("a", (await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/list"))).Value);
            Assert.Equal("v3", (await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/k3"))).Value);
            await ApiAssert.ProblemAsync(await client.GetAsync("api/kv/k4"), HttpStatusCode.NotFound);
            // New writes apply (new clients do not look like retries of the old ones).
            await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("colour", "green"));
            Assert.Equal("green", (await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/colour"))).Value);
            Assert.True(app.Cluster.Pump.Read(c => c.Safety.IsSafe));
            Assert.DoesNotContain(app.Logs.Lines, l => l.Level >= LogLevel.Warning && l.Category.Contains("DefaultCluster"));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_corrupt_file_is_one_log_line_and_a_fresh_server_and_the_app_still_serves()
    {
        await FirstRunAsync();
        await File.WriteAllTextAsync(Path.Combine(_folder, "S2.json"), "{\"format\":\"raftvis-state\",\"version\":1,\"ser");

        var app = await StartAsync();
        try
        {
            using var client = app.CreateClient();
            var s2 = (await client.StatusAsync()).Node("S2");
            Assert.Equal((0L, 0L), (s2.GetProperty("term").GetInt64(), s2.GetProperty("lastLogIndex").GetInt64()));
            var line = Assert.Single(app.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("corrupt"));
            Assert.StartsWith("The disk of S2 in ", line.Message);
            Assert.Contains("S2 starts as a fresh server", line.Message);
            Assert.True(File.Exists(Path.Combine(_folder, "S2.json.corrupt")));

            Assert.Equal("blue", (await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/colour"))).Value);
            app.Sim.RunUntil(c => c.Node(new NodeId(2))!.Kv.GetValueOrDefault("colour") == "blue", TimeSpan.FromSeconds(5), "S2 catches up");
            Assert.True(File.Exists(Path.Combine(_folder, "S2.json")));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_missing_file_is_a_fresh_server()
    {
        await FirstRunAsync();
        File.Delete(Path.Combine(_folder, DiskFolder.StateFile(new NodeId(3))));
        File.Delete(Path.Combine(_folder, DiskFolder.SnapshotFile(new NodeId(3)))); // absent anyway below the threshold

        var app = await StartAsync();
        try
        {
            using var client = app.CreateClient();
            var status = await client.StatusAsync();
            var s3 = status.Node("S3");
            Assert.Equal((0L, 0L), (s3.GetProperty("term").GetInt64(), s3.GetProperty("lastLogIndex").GetInt64()));
            Assert.True(status.Node("S1").GetProperty("lastLogIndex").GetInt64() > 0);
            Assert.DoesNotContain(app.Logs.Lines, l => l.Level >= LogLevel.Warning && l.Category.Contains("DefaultCluster"));
            Assert.Equal("v3", (await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/k3"))).Value);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
