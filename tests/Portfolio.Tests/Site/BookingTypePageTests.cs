using System.Net;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;

namespace Portfolio.Tests.Site;

/// <summary>
/// The booking page with booking types, posted as a browser without script would: the visitor picks a type (a link),
/// sees its length and its questions, and the answers are checked and stored. Clock: Monday 2 November 2026, 09:00 UTC.
/// </summary>
public sealed class BookingTypePageTests(FormPagesApp app) : IClassFixture<FormPagesApp>
{
    private const string ReviewPath = "/team/talha/book?type=architecture-review";

    [Fact]
    public async Task TheTypesAreLinksAndTheChosenOneSetsTheLengthSlotsAndQuestions()
    {
        var client = HtmlForm.CreateBrowserClient(app);

        var first = await client.GetDocumentAsync("/team/talha/book");
        var links = first.QuerySelectorAll("nav.booking-types a").ToList();
        Assert.Equal(["/team/talha/book", "/team/talha/book?type=intro-call", ReviewPath], links.Select(link => link.GetAttribute("href")));
        Assert.Equal("page", links[0].GetAttribute("aria-current"));
        Assert.Empty(first.QuerySelectorAll("[name^='answers.']"));

        var review = await client.GetDocumentAsync(ReviewPath);
        Assert.Equal("page", review.QuerySelector($"nav.booking-types a[href='{ReviewPath}']")!.GetAttribute("aria-current"));
        Assert.Contains("90-minute", review.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);
        // 72 hours of notice: nothing before Thursday 5 November; one review a window.
        Assert.Equal("2026-11-05T09:30:00Z", BookingPageHtml.Times(review)[0]);
        Assert.Contains("90 minutes", review.QuerySelector(".booking-summary__facts")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Architecture review", review.QuerySelector(".booking-summary__title")!.TextContent.Trim());
        Assert.All(BookingPageHtml.FreeDays(review), day => Assert.Contains("type=architecture-review", day.GetAttribute("href"), StringComparison.Ordinal));
        Assert.Contains("type=architecture-review", review.QuerySelector("a.month__paging--next")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal("architecture-review", review.QuerySelector("form[data-calendar-zone-form] input[name=type]")!.GetAttribute("value"));

        // The details step asks the type's questions.
        var (details, _) = await BookingPageHtml.DetailsAsync(client, ReviewPath, 0);
        Assert.Equal(3, details.QuerySelectorAll("input[type=radio][name='answers.team-size']").Length);
        Assert.NotNull(details.QuerySelector("textarea[name='answers.system'][required]"));
        Assert.NotNull(details.QuerySelector("input[type=checkbox][name='answers.nda'][value=true]"));
        Assert.Equal("architecture-review", HtmlForm.Value(details, "#booking-form", "type"));
        var intro = await client.GetDocumentAsync("/team/talha/book?type=intro-call");
        Assert.Equal("Book an intro call with Talha", intro.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("Book an architecture review with Talha", review.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/team/talha/book?type=lunch")).StatusCode);
    }

    [Fact]
    public async Task MissingAnswersAreShownAtTheirQuestionsAndGoodOnesAreStored()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var (page, start) = await BookingPageHtml.DetailsAsync(client, ReviewPath, 1);
        var details = new Dictionary<string, string?>
        {
            ["start"] = start, ["name"] = "Ada Lovelace", ["email"] = "review-page@example.com", ["company"] = "", ["topic"] = "Review", ["notes"] = "",
        };

        var invalid = await HtmlForm.SubmitAsync(client, page, "#booking-form", details);

        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        var shown = await invalid.Content.ReadAsStringAsync();
        var again = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(shown);
        Assert.NotNull(again.QuerySelector(".error-summary a[href='#booking-q-team-size-0']"));
        Assert.NotNull(again.QuerySelector("#booking-q-system[aria-invalid=true]"));

        details["answers.team-size"] = "1–5";
        details["answers.system"] = "A booking site.";
        details["answers.nda"] = "true";
        var booked = await HtmlForm.SubmitAsync(client, again, "#booking-form", details);

        Assert.Equal(HttpStatusCode.SeeOther, booked.StatusCode);
        // The confirmation offers the meeting to the visitor's calendar: Google, Outlook on the web and a file.
        var confirmation = await client.GetDocumentAsync(booked.Headers.Location!.OriginalString);
        var startUtc = DateTime.Parse(start, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        var dates = $"{startUtc:yyyyMMdd'T'HHmmss'Z'}%2F{startUtc.AddMinutes(90):yyyyMMdd'T'HHmmss'Z'}";
        Assert.Contains("dates=" + dates, confirmation.QuerySelector(".add-to-calendar a[href^='https://calendar.google.com/']")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.NotNull(confirmation.QuerySelector(".add-to-calendar a[href^='https://outlook.live.com/calendar/0/deeplink/compose']"));
        var ics = await client.GetAsync(confirmation.QuerySelector(".add-to-calendar a[download]")!.GetAttribute("href"));
        Assert.Equal("text/calendar", ics.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"DTSTART:{startUtc:yyyyMMdd'T'HHmmss'Z'}", await ics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.WithDbAsync(async db =>
        {
            var stored = await db.Bookings.AsNoTracking().SingleAsync(booking => booking.Email == "review-page@example.com");
            Assert.Equal("architecture-review", stored.BookingType);
            Assert.Equal(TimeSpan.FromMinutes(90), stored.EndUtc - stored.StartUtc);
            Assert.Equal(["1–5", "A booking site.", "Yes"], BookingAnswers.Read(stored.Answers).Select(answer => answer.Value));
        });
    }
}
