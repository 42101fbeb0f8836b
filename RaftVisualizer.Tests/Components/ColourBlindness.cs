namespace RaftVisualizer.Tests.Components;

/// <summary>
/// How a CSS colour looks with a colour-vision deficiency: the Machado, Oliveira and Fernandes (2009)
/// matrices at full severity, applied in linear RGB, and the CIE76 colour difference (ΔE) in CIELAB.
/// </summary>
public static class ColourBlindness
{
    public enum Vision { Normal, Protanopia, Deuteranopia }

    private static readonly double[,] Protanopia =
    {
        { 0.152286, 1.052583, -0.204868 },
        { 0.114503, 0.786281, 0.099216 },
        { -0.003882, -0.048116, 1.051998 },
    };

    private static readonly double[,] Deuteranopia =
    {
        { 0.367322, 0.860646, -0.227968 },
        { 0.280085, 0.672501, 0.047413 },
        { -0.011820, 0.042940, 0.968881 },
    };

    /// <summary>ΔE between two "#rrggbb" colours as seen with <paramref name="vision"/>.</summary>
    public static double Difference(string a, string b, Vision vision)
    {
        var (la, lb) = (Lab(Seen(a, vision)), Lab(Seen(b, vision)));
        return Math.Sqrt(Math.Pow(la.L - lb.L, 2) + Math.Pow(la.A - lb.A, 2) + Math.Pow(la.B - lb.B, 2));
    }

    private static double[] Seen(string hex, Vision vision)
    {
        var linear = new[] { 1, 3, 5 }.Select(i => Linear(Convert.ToInt32(hex.Substring(i, 2), 16) / 255.0)).ToArray();
        var m = vision switch { Vision.Protanopia => Protanopia, Vision.Deuteranopia => Deuteranopia, _ => null };
        if (m is null) return linear;
        return Enumerable.Range(0, 3).Select(i => Math.Clamp(m[i, 0] * linear[0] + m[i, 1] * linear[1] + m[i, 2] * linear[2], 0, 1)).ToArray();
    }

    private static double Linear(double c) => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);

    private static (double L, double A, double B) Lab(double[] rgb)
    {
        var x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047;
        var y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
        var z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883;
        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : 7.787 * t + 16.0 / 116;
        return (116 * F(y) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z)));
    }
}
