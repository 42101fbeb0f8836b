using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RaftVisualizer.Tests.Infrastructure;

/// <summary>
/// The real RaftVisualizer app (its own Program: same services, same pipeline) listening on
/// Kestrel at http://127.0.0.1:{free port} — a real socket, so a browser, a SignalR client or
/// any HttpClient can reach it. Shared by the "web" collection.
/// </summary>
/// <remarks>
/// Content root: WebApplicationFactory reads MvcTestingAppManifest.json (written at build time by
/// Microsoft.AspNetCore.Mvc.Testing's targets) which maps the RaftVisualizer assembly to the
/// RaftVisualizer/ project folder, so the content root is RaftVisualizer/ and its wwwroot symlink
/// (to the top-level wwwroot) is the web root. Environment is Development, so MapStaticAssets
/// serves from the build's static-web-assets manifest (top-level wwwroot, _framework/blazor.web.js,
/// _content/MudBlazor).
/// </remarks>
public class KestrelAppFixture : IAsyncLifetime
{
    private readonly AppFactory _factory;
    /// <summary>Whether <see cref="DataFolder"/> was made for this app (and so is deleted with it).</summary>
    private readonly bool _ownsDataFolder;

    public KestrelAppFixture() : this(null)
    {
    }

    /// <param name="dataFolder">Where the default cluster keeps its disks; by default a fresh temporary folder, deleted with the app, so no test writes into the work tree.</param>
    protected KestrelAppFixture(string? dataFolder)
    {
        _ownsDataFolder = dataFolder is null;
        DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "raftvis-tests", Guid.NewGuid().ToString("N"));
        _factory = new AppFactory(this);
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The default cluster's data folder (DefaultCluster:DataFolder).</summary>
    public string DataFolder { get; }

    /// <summary>Root of the running app, e.g. http://127.0.0.1:41234/ (always ends with '/').</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The running app's root service provider.</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>A plain HttpClient over the real socket; the caller disposes it.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Absolute URL for a path relative to the app root ("/" or "api/cluster").</summary>
    public Uri Url(string relative) => new(BaseAddress, relative.TrimStart('/'));

    /// <summary>Hook for derived fixtures: override settings or services of the app under test.</summary>
    protected virtual void ConfigureWebHost(IWebHostBuilder builder)
    {
    }

    public Task InitializeAsync()
    {
        _factory.StartServer();

        var addresses = _factory.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel did not report a listening address.");
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (_ownsDataFolder && Directory.Exists(DataFolder)) Directory.Delete(DataFolder, recursive: true);
    }

    private sealed class AppFactory(KestrelAppFixture owner) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            builder.UseSetting("DefaultCluster:DataFolder", owner.DataFolder);
            owner.ConfigureWebHost(builder);
        }
    }
}
