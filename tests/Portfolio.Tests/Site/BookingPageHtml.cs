using AngleSharp.Dom;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Site;

/// <summary>
/// Walks the booking page as a browser without script does: the month calendar's day links, a day's time links, and
/// the details step a time link opens (the only step with the <c>#booking-form</c>).
/// </summary>
internal static class BookingPageHtml
{
    /// <summary>The days of the month shown that have free times, as links (in calendar order).</summary>
    public static IReadOnlyList<IElement> FreeDays(IDocument page) => page.QuerySelectorAll(".month__grid a.month__day--free").ToList();

    /// <summary>The chosen day's free times: their UTC starts, in order.</summary>
    public static IReadOnlyList<string> Times(IDocument page) =>
        page.QuerySelectorAll("#booking-times a.time-link").Select(link => link.GetAttribute("data-start")!).ToList();

    /// <summary>
    /// The n-th free time reachable from <paramref name="path"/> (day after day through the month, then the next month),
    /// opened as the details step: that page and the time's UTC start. Tests take different n, so they never compete.
    /// </summary>
    public static async Task<(IDocument Page, string Start)> DetailsAsync(HttpClient client, string path, int index)
    {
        var month = await client.GetDocumentAsync(path);
        var seen = 0;
        while (true)
        {
            foreach (var day in FreeDays(month))
            {
                var dayPage = await client.GetDocumentAsync(Href(day));
                var links = dayPage.QuerySelectorAll("#booking-times a.time-link").ToList();
                if (index - seen < links.Count)
                {
                    var link = links[index - seen];
                    return (await client.GetDocumentAsync(Href(link)), link.GetAttribute("data-start")!);
                }

                seen += links.Count;
            }

            var next = month.QuerySelector("a.month__paging--next") ?? throw new InvalidOperationException($"Fewer than {index + 1} free times from {path}.");
            month = await client.GetDocumentAsync(Href(next));
        }
    }

    /// <summary>A link's address without its fragment, as the browser requests it.</summary>
    public static string Href(IElement link) => link.GetAttribute("href")!.Split('#')[0];
}
