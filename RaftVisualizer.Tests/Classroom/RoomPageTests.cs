using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Classroom;

/// <summary>The classroom in real browsers: a presenter and a student on one room.</summary>
[Collection(WebCollection.Name)]
public sealed class RoomPageTests(KestrelAppFixture app, BrowserFixture browser) : IDisposable
{
    private readonly List<Room> _created = new();

    /// <summary>Closes this test's rooms: the shared app has a room cap.</summary>
    public void Dispose()
    {
        foreach (var r in _created) app.Services.GetRequiredService<RoomRegistry>().Close(r.Code, "the test ended");
    }

    private const float Patience = 20_000;

    private Room NewRoom()
    {
        var created = app.Services.GetRequiredService<RoomRegistry>().Create(speed: 0.5);
        Assert.True(created.Ok, created.Refusal);
        _created.Add(created.Room!);
        return created.Room!;
    }

    private async Task<IPage> OpenAsync(IBrowserContext context, string url)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        await BrowserFixture.WaitForBlazorAsync(page);
        await page.Locator("[data-testid='node-1']").WaitForAsync(new() { Timeout = Patience });
        return page;
    }

    [Fact]
    public async Task The_presenters_scrub_drives_the_students_page_and_the_student_may_look_back_alone()
    {
        var room = NewRoom();
        await using var presenterContext = await browser.NewContextAsync(app.BaseAddress);
        await using var studentContext = await browser.NewContextAsync(app.BaseAddress);
        var presenter = await OpenAsync(presenterContext, $"/room/{room.Code}?key={Uri.EscapeDataString(room.PresenterKey)}");
        var student = await OpenAsync(studentContext, $"/room/{room.Code}");
        await presenter.Locator("[data-testid='node-2']").ClickAsync();
        await presenter.Locator("[data-testid='node-menu-crash']").ClickAsync();
        await student.Locator("[data-testid='node-2'][data-up='false']").WaitForAsync(new() { Timeout = Patience });
        var crash = presenter.Locator("[data-testid='marker'][data-kind='crash']");
        await crash.WaitForAsync(new() { Timeout = Patience });
        var before = (long.Parse((await crash.GetAttributeAsync("data-ms"))!, System.Globalization.CultureInfo.InvariantCulture) - 10)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);

        await presenter.Locator("[data-testid='timeline-scrub']").FillAsync(before);

        var bar = student.Locator("[data-testid='timeline']");
        await Microsoft.Playwright.Assertions.Expect(bar).ToHaveAttributeAsync("data-cursor-ms", before, new() { Timeout = Patience });
        await student.Locator("[data-testid='node-2'][data-up='true']").WaitForAsync(new() { Timeout = Patience });
        await Microsoft.Playwright.Assertions.Expect(student.Locator("[data-testid='timeline-banner']")).ToContainTextAsync("The presenter is showing");

        // The student looks at the live end alone (one event forward at a time would be slow: jump to the crash marker), then follows again.
        await student.Locator("[data-testid='marker'][data-kind='crash']").ClickAsync();
        await student.Locator("[data-testid='node-2'][data-up='false']").WaitForAsync(new() { Timeout = Patience });
        await Microsoft.Playwright.Assertions.Expect(presenter.Locator("[data-testid='node-2']")).ToHaveAttributeAsync("data-up", "true"); // the room did not move
        await BrowserFixture.SaveScreenshotAsync(student, "room-student-looking-back");
        await student.Locator("[data-testid='timeline-follow']").ClickAsync();
        await student.Locator("[data-testid='node-2'][data-up='true']").WaitForAsync(new() { Timeout = Patience });

        await presenter.Locator("[data-testid='timeline-live']").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(bar).ToHaveAttributeAsync("data-live", "true", new() { Timeout = Patience });
        await student.Locator("[data-testid='node-2'][data-up='false']").WaitForAsync(new() { Timeout = Patience });
    }

    [Fact]
    public async Task Presenter_crashes_a_node_and_the_students_page_shows_it()
    {
        var room = NewRoom();
        await using var presenterContext = await browser.NewContextAsync(app.BaseAddress);
        await using var studentContext = await browser.NewContextAsync(app.BaseAddress);
        var presenter = await OpenAsync(presenterContext, $"/room/{room.Code}?key={Uri.EscapeDataString(room.PresenterKey)}");
        var student = await OpenAsync(studentContext, $"/room/{room.Code.ToLowerInvariant()}");
        var errors = new List<string>();
        student.PageError += (_, e) => errors.Add(e);

        Assert.Equal("Presenter", (await presenter.Locator("[data-testid='room-role']").InnerTextAsync()).Trim());
        await presenter.WaitForFunctionAsync("() => !location.search.includes('key=')"); // not shown on the projector
        Assert.Equal("Watching", (await student.Locator("[data-testid='room-role']").InnerTextAsync()).Trim());
        Assert.Equal("false", await student.Locator("[data-testid='workbench']").GetAttributeAsync("data-can-control"));
        Assert.Equal("true", await presenter.Locator("[data-testid='workbench']").GetAttributeAsync("data-can-control"));
        Assert.Equal("true", await student.Locator("[data-testid='node-2']").GetAttributeAsync("data-up"));

        await presenter.Locator("[data-testid='node-2']").ClickAsync();
        await presenter.Locator("[data-testid='node-menu-crash']").ClickAsync();

        await student.Locator("[data-testid='node-2'][data-up='false']").WaitForAsync(new() { Timeout = Patience });
        await BrowserFixture.SaveScreenshotAsync(student, "room-viewer");

        // The student's node menu offers details only, never crash or restart.
        await student.Locator("[data-testid='node-2']").ClickAsync();
        await student.Locator("[data-testid='node-menu']").WaitForAsync();
        Assert.Equal(0, await student.Locator("[data-testid='node-menu-crash'], [data-testid='node-menu-restart']").CountAsync());
        Assert.False(room.Pump.Read(c => c.Nodes[1].IsUp));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_student_who_types_the_presenter_key_gets_the_controls()
    {
        var room = NewRoom();
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await OpenAsync(context, $"/room/{room.Code}");

        await page.Locator("[data-testid='room-key']").FillAsync("not-the-key");
        await page.Locator("[data-testid='room-key-apply']").ClickAsync();
        await page.Locator("[data-testid='room-notice']").WaitForAsync();
        var wrong = await page.Locator("[data-testid='room-notice']").InnerTextAsync();
        await page.Locator("[data-testid='room-key']").FillAsync(room.PresenterKey);
        await page.Locator("[data-testid='room-key-apply']").ClickAsync();

        await page.Locator("[data-testid='workbench'][data-can-control='true']").WaitForAsync(new() { Timeout = Patience });
        Assert.Contains("That is not this room's presenter key; you are still watching.", wrong);
        Assert.Equal("Presenter", (await page.Locator("[data-testid='room-role']").InnerTextAsync()).Trim());
    }

    [Fact]
    public async Task Fork_gives_a_private_copy_in_the_same_state_that_the_student_may_break()
    {
        var room = NewRoom();
        room.Pump.Execute(new RaftVisualizer.Core.Commands.ClusterCommand.Crash(3));
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await OpenAsync(context, $"/room/{room.Code}");

        await page.Locator("[data-testid='room-fork']").ClickAsync();
        try
        {
            await page.WaitForFunctionAsync("() => location.pathname === '/'", null, new() { Timeout = Patience });
        }
        catch (TimeoutException)
        {
            await BrowserFixture.SaveScreenshotAsync(page, "room-fork-failed");
            throw;
        }
        await page.Locator("[data-testid='workbench'][data-can-control='true']").WaitForAsync(new() { Timeout = Patience });

        Assert.Equal("false", await page.Locator("[data-testid='node-3']").GetAttributeAsync("data-up"));
        Assert.Equal(room.Pump.Latest.Options.Seed.ToString(), await page.Locator("[data-testid='seed']").GetAttributeAsync("data-seed"));
        // Breaking the copy leaves the room alone.
        await page.Locator("[data-testid='node-1']").ClickAsync();
        await page.Locator("[data-testid='node-menu-crash']").ClickAsync();
        await page.Locator("[data-testid='node-1'][data-up='false']").WaitForAsync(new() { Timeout = Patience });
        Assert.True(room.Pump.Read(c => c.Nodes[0].IsUp));
    }

    [Fact]
    public async Task A_students_fork_opens_with_the_servers_where_the_presenter_dragged_them()
    {
        var room = NewRoom();
        await using var presenterContext = await browser.NewContextAsync(app.BaseAddress);
        await using var studentContext = await browser.NewContextAsync(app.BaseAddress);
        var presenter = await OpenAsync(presenterContext, $"/room/{room.Code}?key={Uri.EscapeDataString(room.PresenterKey)}");
        var student = await OpenAsync(studentContext, $"/room/{room.Code}");
        var ring = await Web.ServerArrangement.SettledAsync(student);

        var box = await Web.ServerArrangement.DragAsync(presenter, 3, -120, -10);
        var arranged = await Web.ServerArrangement.SettledAsync(presenter);
        Assert.True(Math.Abs(arranged[2][1] - ring[2][1]) * box.Width > 100, "the drag did not move S3");
        var seen = await Web.ServerArrangement.WaitForAsync(student, arranged);
        Web.ServerArrangement.AssertSame(arranged, seen, "the student's view of the room");

        await student.Locator("[data-testid='room-fork']").ClickAsync();
        await student.WaitForFunctionAsync("() => location.pathname === '/'", null, new() { Timeout = Patience });
        await student.Locator("[data-testid='workbench'][data-can-control='true']").WaitForAsync(new() { Timeout = Patience });
        var forked = await Web.ServerArrangement.WaitForAsync(student, arranged);
        await BrowserFixture.SaveScreenshotAsync(student, "room-fork-layout");

        Web.ServerArrangement.AssertSame(arranged, forked, "the student's fork");
    }

    [Fact]
    public async Task Share_on_the_home_page_gives_a_code_a_url_and_a_key_that_opens_the_room_as_presenter()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await OpenAsync(context, "/?seed=4242&speed=0.5");

        await page.Locator("[data-testid='share']").ClickAsync();
        var code = (await page.Locator("[data-testid='share-code']").InnerTextAsync()).Trim();
        var url = (await page.Locator("[data-testid='share-url']").InnerTextAsync()).Trim();
        var key = (await page.Locator("[data-testid='share-key']").InnerTextAsync()).Trim();
        await BrowserFixture.SaveScreenshotAsync(page, "share");
        var registry = app.Services.GetRequiredService<RoomRegistry>();
        Assert.True(registry.TryGet(code, out var room));
        _created.Add(room);

        Assert.Equal(app.Url($"room/{code}").ToString(), url);
        Assert.Equal(room.PresenterKey, key);
        Assert.Equal(4242UL, room.Pump.Latest.Options.Seed);

        await page.Locator("[data-testid='share-present']").ClickAsync();
        await page.Locator("[data-testid='room-role']").WaitForAsync(new() { Timeout = Patience });
        await page.Locator("[data-testid='workbench'][data-can-control='true']").WaitForAsync(new() { Timeout = Patience });
        Assert.Equal(code, (await page.Locator("[data-testid='room-code']").InnerTextAsync()).Trim());
        Assert.Contains(code, await page.Locator("[data-testid='share-room']").InnerTextAsync());
    }

    [Fact]
    public async Task The_presenter_closes_the_room_and_the_student_is_told_why()
    {
        var room = NewRoom();
        await using var presenterContext = await browser.NewContextAsync(app.BaseAddress);
        await using var studentContext = await browser.NewContextAsync(app.BaseAddress);
        var presenter = await OpenAsync(presenterContext, $"/room/{room.Code}?key={Uri.EscapeDataString(room.PresenterKey)}");
        var student = await OpenAsync(studentContext, $"/room/{room.Code}");
        Assert.Equal(0, await student.Locator("[data-testid='room-close']").CountAsync()); // a watcher is not offered it

        await presenter.Locator("[data-testid='room-close']").ClickAsync();

        var told = student.Locator("[data-testid='room-refused']");
        await told.WaitForAsync(new() { Timeout = Patience });
        Assert.Contains($"Room {room.Code} has closed: the presenter closed it.", await told.InnerTextAsync());
        Assert.False(app.Services.GetRequiredService<RoomRegistry>().TryGet(room.Code, out _));
        Assert.True(room.IsClosed);
    }

    [Fact]
    public async Task An_unknown_room_says_so()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/room/NOROOM");
        await BrowserFixture.WaitForBlazorAsync(page);

        var refused = page.Locator("[data-testid='room-refused']");
        await refused.WaitForAsync(new() { Timeout = Patience });

        Assert.Contains("There is no open room 'NOROOM'.", await refused.InnerTextAsync());
    }
}
