using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using RaftVisualizer.Classroom;
using RaftVisualizer.Sessions;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Components;

/// <summary>A bUnit context for the room page: a registry of its own with <paramref name="options"/>, the page's services, closed with the test.</summary>
public abstract class RoomPageTest(RoomOptions options) : BunitContext, IAsyncLifetime
{
    protected RoomRegistry Rooms { get; } = new(Options.Create(options));

    /// <summary>Registers the page's services; call it from the test's constructor.</summary>
    protected void AddRoomPageServices()
    {
        Services.AddMudServices();
        Services.AddSingleton(Rooms);
        Services.AddSingleton(new SessionLimiter(capacity: 1));
        Services.AddScoped<PrivateSession>();
        Services.AddScoped<DisplayMode>();
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.SetupDiagramCanvas();
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        Rooms.Dispose();
        await base.DisposeAsync();
    }
}
