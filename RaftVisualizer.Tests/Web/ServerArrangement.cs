using Microsoft.Playwright;

namespace RaftVisualizer.Tests.Web;

/// <summary>
/// Where the servers sit on a page's drawing, compared as an arrangement (each server's centre relative
/// to the first's, in units of a server's drawn width), so two pages that fit or zoom the drawing a little
/// differently still agree; and a drag of one server, as a user's mouse does it.
/// </summary>
internal static class ServerArrangement
{
    /// <summary>Per server, in id order: its id, its offset from the first server in widths (x, y), and the drawn width in pixels.</summary>
    public static Task<double[][]> ReadAsync(IPage page) => page.EvaluateAsync<double[][]>(@"() => {
        const centre = id => { const b = document.querySelector(`[data-testid='node-${id}'] .body`).getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2, b.width]; };
        const ids = [...document.querySelectorAll(""[data-testid^='node-'][data-role]"")].map(n => +n.dataset.testid.slice(5)).sort((a, b) => a - b);
        const [x1, y1, w] = centre(ids[0]);
        return ids.map(id => { const [x, y] = centre(id); return [id, (x - x1) / w, (y - y1) / w, w]; });
    }");

    /// <summary>The arrangement once the servers have stopped gliding (two reads 250 ms apart agree).</summary>
    public static async Task<double[][]> SettledAsync(IPage page)
    {
        var last = await ReadAsync(page);
        for (var i = 0; i < 40; i++)
        {
            await page.WaitForTimeoutAsync(250);
            var now = await ReadAsync(page);
            if (Agree(last, now, 0.5)) return now;
            last = now;
        }
        return last;
    }

    /// <summary>The arrangement once it agrees with <paramref name="expected"/> within a few pixels (another page's change may still be on its way), or the last read after ten seconds.</summary>
    public static async Task<double[][]> WaitForAsync(IPage page, double[][] expected)
    {
        var now = await ReadAsync(page);
        for (var i = 0; i < 40 && !Agree(expected, now, 4); i++)
        {
            await page.WaitForTimeoutAsync(250);
            now = await ReadAsync(page);
        }
        return await SettledAsync(page);
    }

    /// <summary>True when both name the same servers and each sits within <paramref name="pixels"/> of its place in <paramref name="expected"/>, at that page's scale.</summary>
    public static bool Agree(double[][] expected, double[][] actual, double pixels) =>
        expected.Length == actual.Length
        && expected.Zip(actual).All(p => p.First[0] == p.Second[0]
            && Math.Abs(p.First[1] - p.Second[1]) * p.First[3] < pixels
            && Math.Abs(p.First[2] - p.Second[2]) * p.First[3] < pixels);

    /// <summary>The same arrangement within a few pixels at the original page's scale.</summary>
    public static void AssertSame(double[][] expected, double[][] actual, string where)
    {
        Assert.Equal(expected.Select(s => s[0]), actual.Select(s => s[0]));
        var width = expected[0][3];
        for (var i = 0; i < expected.Length; i++)
        {
            var dx = (actual[i][1] - expected[i][1]) * width;
            var dy = (actual[i][2] - expected[i][2]) * width;
            Assert.True(Math.Abs(dx) < 4 && Math.Abs(dy) < 4, $"{where}: S{expected[i][0]} is {dx:0.0}, {dy:0.0} px from where it was arranged");
        }
    }

    /// <summary>Drags server <paramref name="id"/> by (<paramref name="dx"/>, <paramref name="dy"/>) pixels with the mouse, in two legs; returns its drawn box before.</summary>
    public static async Task<LocatorBoundingBoxResult> DragAsync(IPage page, int id, double dx, double dy)
    {
        var box = await page.Locator($"[data-testid='node-{id}'] .body").BoundingBoxAsync() ?? throw new InvalidOperationException($"S{id} is not on screen");
        var (x, y) = (box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(x + dx / 2), (float)(y + dy / 2), new() { Steps = 5 });
        await page.Mouse.MoveAsync((float)(x + dx), (float)(y + dy), new() { Steps = 5 });
        await page.Mouse.UpAsync();
        return box;
    }
}
