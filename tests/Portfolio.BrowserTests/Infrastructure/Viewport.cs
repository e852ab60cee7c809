using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>The screen sizes the site is checked at.</summary>
public sealed record Viewport(string Name, int Width, int Height, bool IsMobile)
{
    /// <summary>A small current phone (iPhone X/11 Pro class), the narrowest screen the site is designed for.</summary>
    public static readonly Viewport Phone = new("phone", 375, 812, IsMobile: true);

    public static readonly Viewport Desktop = new("desktop", 1280, 900, IsMobile: false);

    public static readonly IReadOnlyList<Viewport> All = [Phone, Desktop];

    public ViewportSize Size => new() { Width = Width, Height = Height };

    public static Viewport Named(string name) => All.Single(viewport => viewport.Name == name);

    public override string ToString() => Name;
}
