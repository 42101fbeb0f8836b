using RaftVisualizer.Api;
using RaftVisualizer.Components;

namespace RaftVisualizer.Hosting;

/// <summary>The HTTP pipeline and every endpoint of the web host.</summary>
public static class EndpointRegistration
{
    public static WebApplication MapRaftVisualizer(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

        app.UseAntiforgery();
        app.MapRaftApi();

        // Fingerprinted, compressed assets from the build manifest: the top-level wwwroot
        // (via the RaftVisualizer/wwwroot symlink), _framework/blazor.web.js, MudBlazor's _content.
        app.MapStaticAssets();

        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode();

        return app;
    }
}
