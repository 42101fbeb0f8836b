using RaftVisualizer.Hosting;

var builder = WebApplication.CreateBuilder(args);
// `dotnet run` serves a class in Production (no developer error pages); the build's static-asset
// manifest is used in every environment, and a published app (which has none) ignores this.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddRaftVisualizer();

var app = builder.Build();
app.MapRaftVisualizer();
app.Run();

/// <summary>Entry point; public so tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
