using Microsoft.AspNetCore.WebUtilities;

namespace Portfolio.Web.Areas.Backoffice.Pages;

/// <summary>
/// What <c>_OwnerPager</c> needs: where it is, how many pages, and the list's own query values. The page number
/// travels as <c>p</c>: <c>page</c> is Razor Pages' own route value (the page's path) and would win the binding.
/// </summary>
public sealed record OwnerPager(string Label, string Path, int PageNumber, int PageCount, IReadOnlyDictionary<string, string?> Query)
{
    public string UrlFor(int page) =>
        QueryHelpers.AddQueryString(Path, Query.Append(new("p", page.ToString(System.Globalization.CultureInfo.InvariantCulture))));
}

/// <summary>Dates and times on the owner's pages, always with the zone they are in.</summary>
public static class OwnerFormat
{
    public static string Utc(DateTime utc) => utc.ToString("ddd d MMM yyyy, HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Iso(DateTime utc) => TimeZones.MachineReadable(utc);
}
