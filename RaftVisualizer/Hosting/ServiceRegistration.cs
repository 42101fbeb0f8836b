using MudBlazor.Services;
using RaftVisualizer.Api;
using RaftVisualizer.Classroom;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Hosting;

/// <summary>All service registration for the web host, so Program.cs stays short and tests share it.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddRaftVisualizer(this IServiceCollection services)
    {
        services.AddMudServices();
        services.AddSingleton(new SessionLimiter(capacity: 100));
        services.AddScoped<PrivateSession>();
        services.AddHttpContextAccessor(); // a circuit's client address, for the per-client room limit
        services.AddScoped<DisplayMode>();
        services.AddRaftApi();
        services.AddClassroomHub();

        services.AddRazorComponents()
            .AddInteractiveServerComponents();

        return services;
    }
}
