using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Web.Content;

/// <summary>A redirect as the redirects page lists it. <see cref="IsAutomatic"/>: recorded by a slug change of an item.</summary>
public sealed record RedirectInfo(long Id, string FromPath, string ToPath, Guid? ItemId, string? ItemName, DateTime CreatedUtc)
{
    public bool IsAutomatic => ItemId is not null;
}

/// <summary>Why a redirect was refused, per form field (<c>FromPath</c>, <c>ToPath</c>).</summary>
public sealed class RedirectRefusedException(string field, string message) : ContentException(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Redirects added and removed by hand, next to the automatic ones the engine records when a published slug
/// changes. A hand-made redirect has no <see cref="ContentRedirect.ItemId"/> (so deleting an item keeps it, and
/// no schema change was needed to tell the two apart). The same rules as the engine's hold for both: no
/// redirect from a live page, no loops, no chains (a new redirect points straight at the final target, and
/// redirects that pointed at its from-path are re-pointed too), local paths only.
/// </summary>
public sealed partial class RedirectService(
    PortfolioDbContext db, PublishedContentCache cache, EndpointDataSource endpoints, IWebHostEnvironment environment, TimeProvider clock)
{
    /// <summary>Longer than any real chain: the table never holds one, so this only guards against a corrupt table.</summary>
    private const int MaxHops = 64;

    /// <summary>Paths the site owns outright: redirecting them would hijack the backoffice, the API or the assets.</summary>
    private static readonly string[] ReservedPrefixes = ["/umbraco", "/api", "/health", "/media", "/css", "/js", "/img", "/openapi"];

    public async Task<IReadOnlyList<RedirectInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.ContentRedirects.AsNoTracking()
            .OrderBy(redirect => redirect.FromPath)
            .Select(redirect => new
            {
                redirect.Id, redirect.FromPath, redirect.ToPath, redirect.ItemId, redirect.CreatedUtc,
                ItemName = db.ContentItems.Where(item => item.Id == redirect.ItemId).Select(item => item.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(row => new RedirectInfo(row.Id, row.FromPath, row.ToPath, row.ItemId, row.ItemName, row.CreatedUtc)).ToList();
    }

    /// <summary>
    /// Adds a hand-made 301 from <paramref name="fromPath"/> to <paramref name="toPath"/> (both local paths).
    /// Returns the stored redirect, whose target may be further along than asked when the target itself redirects.
    /// </summary>
    /// <exception cref="RedirectRefusedException">The paths are not local, the from-path is taken or is a live page, or it would loop.</exception>
    public async Task<RedirectInfo> AddAsync(string fromPath, string toPath, CancellationToken cancellationToken = default)
    {
        var from = Normalize(fromPath, "FromPath");
        var to = Normalize(toPath, "ToPath");
        if (from == "/")
        {
            throw new RedirectRefusedException("FromPath", "The home page cannot be redirected.");
        }

        if (string.Equals(from, to, StringComparison.OrdinalIgnoreCase))
        {
            throw new RedirectRefusedException("ToPath", "A redirect cannot point at itself.");
        }

        if (ReservedPrefixes.Any(prefix => from.Equals(prefix, StringComparison.OrdinalIgnoreCase) ||
                                           from.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase)))
        {
            throw new RedirectRefusedException("FromPath", $"{from} belongs to the site itself (backoffice, API or files) and cannot be redirected.");
        }

        var existing = await db.ContentRedirects.ToListAsync(cancellationToken);
        // Matching is case-insensitive (as the middleware's), so "/Old" and "/old" are the same from-path.
        if (existing.FirstOrDefault(redirect => string.Equals(redirect.FromPath, from, StringComparison.OrdinalIgnoreCase)) is { } taken)
        {
            throw new RedirectRefusedException("FromPath", $"{from} already redirects to {taken.ToPath}. Delete that redirect first.");
        }

        if (await IsLivePageAsync(from, cancellationToken))
        {
            throw new RedirectRefusedException("FromPath", $"{from} is a live page of the site; a redirect would hide it. Unpublish or move the page first.");
        }

        var map = existing.ToDictionary(redirect => redirect.FromPath, redirect => redirect.ToPath, StringComparer.OrdinalIgnoreCase);
        var target = FinalTarget(to, map, from);

        // No chains: whatever led to the new from-path now leads straight to the final target.
        foreach (var redirect in existing.Where(redirect => string.Equals(redirect.ToPath, from, StringComparison.OrdinalIgnoreCase)))
        {
            redirect.ToPath = target;
        }

        var added = new ContentRedirect { FromPath = from, ToPath = target, ItemId = null, CreatedUtc = clock.GetUtcNow().UtcDateTime };
        db.ContentRedirects.Add(added);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone added the same from-path a moment ago (the unique index caught it); anything else is a real failure.
            if (await db.ContentRedirects.AsNoTracking().AnyAsync(redirect => redirect.FromPath == from, cancellationToken))
            {
                throw new RedirectRefusedException("FromPath", $"{from} already redirects somewhere. Delete that redirect first.");
            }

            throw;
        }

        await cache.InvalidateAsync(cancellationToken);
        return new RedirectInfo(added.Id, added.FromPath, added.ToPath, null, null, added.CreatedUtc);
    }

    /// <summary>Removes a redirect (hand-made or automatic); returns what was removed, or null when it was already gone.</summary>
    public async Task<RedirectInfo?> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        var redirect = await db.ContentRedirects.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (redirect is null)
        {
            return null;
        }

        db.ContentRedirects.Remove(redirect);
        await db.SaveChangesAsync(cancellationToken);
        await cache.InvalidateAsync(cancellationToken);
        return new RedirectInfo(redirect.Id, redirect.FromPath, redirect.ToPath, redirect.ItemId, null, redirect.CreatedUtc);
    }

    /// <summary>
    /// Follows <paramref name="to"/> through the existing redirects to where a visitor would end up; refuses when
    /// that journey comes back to <paramref name="from"/> (A→B with B→A, or any longer cycle).
    /// </summary>
    private static string FinalTarget(string to, Dictionary<string, string> map, string from)
    {
        var target = to;
        var seen = new List<string> { from };
        for (var hops = 0; hops < MaxHops; hops++)
        {
            if (seen.Contains(target, StringComparer.OrdinalIgnoreCase))
            {
                seen.Add(target);
                throw new RedirectRefusedException("ToPath", $"This would make a loop: {string.Join(" → ", seen)}.");
            }

            seen.Add(target);
            if (!map.TryGetValue(target, out var next))
            {
                return target;
            }

            target = next;
        }

        throw new RedirectRefusedException("ToPath", "The target redirects through too many steps.");
    }

    /// <summary>A published item's URL, a page of the site with a fixed route (<c>/contact</c>, <c>/team</c> …) or a file in <c>wwwroot</c>.</summary>
    private async Task<bool> IsLivePageAsync(string path, CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(cancellationToken);
        if (snapshot.All.Any(item => string.Equals(item.Url, path, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var literal = path.TrimStart('/');
        var fixedRoute = endpoints.Endpoints.OfType<RouteEndpoint>().Any(endpoint =>
            endpoint.RoutePattern.Parameters.Count == 0 &&
            string.Equals((endpoint.RoutePattern.RawText ?? "").Trim('/'), literal, StringComparison.OrdinalIgnoreCase));
        return fixedRoute || environment.WebRootFileProvider.GetFileInfo(path).Exists;
    }

    /// <summary>
    /// A local, absolute path with no scheme, host, query or fragment: <c>/team/old-name</c>. Refuses <c>//evil.example</c>,
    /// <c>/\evil.example</c>, <c>https://…</c> and anything with characters a path does not need (an open redirect helps phishing).
    /// </summary>
    public static string Normalize(string? path, string field)
    {
        var trimmed = (path ?? "").Trim();
        if (trimmed.Length == 0)
        {
            throw new RedirectRefusedException(field, "Enter a path that starts with /, e.g. /team/old-name.");
        }

        if (trimmed.Length > 400)
        {
            throw new RedirectRefusedException(field, "A path can be at most 400 characters long.");
        }

        if (!trimmed.StartsWith('/') || trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("/\\", StringComparison.Ordinal) ||
            trimmed.Contains("://", StringComparison.Ordinal))
        {
            throw new RedirectRefusedException(field, "Only paths on this site are allowed: start with a single /, without https:// or a host name.");
        }

        if (!LocalPath().IsMatch(trimmed))
        {
            throw new RedirectRefusedException(field, "Use a plain path (letters, digits, - . _ ~ / and %-escapes), without spaces, ? or #.");
        }

        // "/team/old/" and "/team/old" are one page to the middleware, which ignores a trailing slash.
        var bare = trimmed.TrimEnd('/');
        return bare.Length == 0 ? "/" : bare;
    }

    [GeneratedRegex(@"^/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2}|/(?!/))*$")]
    private static partial Regex LocalPath();
}
