using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site;

/// <summary>
/// The visitor's colour scheme when they chose one with the header's toggle: a cookie the layout reads to write
/// <c>data-theme</c> on <c>&lt;html&gt;</c>, so the chosen scheme is there on the first paint without a script in the
/// head (the CSP allows no inline script, and an external one would block rendering). Without the cookie the page
/// follows the system's <c>prefers-color-scheme</c> in CSS alone.
/// </summary>
/// <remarks>
/// The toggle is a plain form, so it works without JavaScript (site.js only saves the round trip). It has no
/// antiforgery token, on purpose: public pages are output-cached and cannot carry one per visitor, and all a forged
/// post can do is choose a colour scheme for the browser that sends it.
/// </remarks>
public static class ThemePreference
{
    public const string CookieName = "theme";
    public const string Path = "/preferences/theme";

    private static readonly TimeSpan Remembered = TimeSpan.FromDays(365);

    /// <summary>"light" or "dark" when the visitor chose one, else null (follow the system).</summary>
    public static string? Read(HttpContext context) => Normalize(context.Request.Cookies[CookieName]);

    /// <summary>The output cache keeps one copy of a page per chosen scheme (the attribute is in the HTML).</summary>
    public static KeyValuePair<string, string> VaryByTheme(HttpContext context) => new("theme", Read(context) ?? "system");

    public static WebApplication MapThemePreference(this WebApplication app)
    {
        app.MapPost(Path, async Task<IResult> (HttpContext context) =>
            {
                IFormCollection? form;
                try
                {
                    form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
                }
                catch (Exception exception) when (Infrastructure.MalformedFormFilter.UnreadableFormStatus(exception, context.RequestAborted) is { } status)
                {
                    // A mangled or oversized form (found by the fuzz test): the client's mistake, not a 500.
                    return Results.StatusCode(status);
                }

                var theme = Normalize(form?["theme"]);
                var cookie = new CookieOptions
                {
                    Path = "/",
                    HttpOnly = true,
                    Secure = context.Request.IsHttps,
                    SameSite = SameSiteMode.Lax,
                    IsEssential = true,
                    MaxAge = Remembered,
                };
                if (theme is null)
                {
                    context.Response.Cookies.Delete(CookieName, cookie);
                }
                else
                {
                    context.Response.Cookies.Append(CookieName, theme, cookie);
                }

                // Back to the page the toggle was on; a script's fetch takes the 204 instead of a page it would ignore.
                if (context.Request.Headers["X-Requested-With"] == "fetch")
                {
                    return Results.NoContent();
                }

                return new SeeOtherResult(LocalReturnPath(form?["returnUrl"]));
            })
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }

    private static string? Normalize(string? value) => value switch
    {
        "light" => "light",
        "dark" => "dark",
        _ => null,
    };

    /// <summary>
    /// Only a path on this site (never <c>//host</c> or <c>/\host</c>, which browsers treat as another site), in printable
    /// ASCII: the site's own paths are, and anything else cannot go into a Location header as it is.
    /// </summary>
    internal static string LocalReturnPath(string? value) =>
        value is { Length: > 0 and <= 2000 } path && path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\'))
            && path.All(character => character is > ' ' and <= '~')
            ? path
            : "/";
}
