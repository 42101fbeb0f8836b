using RaftVisualizer.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRaftVisualizer();

var app = builder.Build();
app.MapRaftVisualizer();
app.Run();

/// <summary>Entry point; public so tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
