using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Booking;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Backoffice.Owner;

/// <summary>
/// An expert's private calendar feed (made, replaced and removed by the owner on the availability page, shown once,
/// stored as a hash) and the expert's place of meeting, edited on the same page.
/// </summary>
public sealed class ExpertCalendarFeedTests(OwnerApp app) : IClassFixture<OwnerApp>
{
    private const string Page = "/umbraco/availability/talha";

    [Fact]
    public async Task TheOwnerSeesANewFeedLinkOnceAndACalendarReadsTheExpertsConfirmedBookingsFromIt()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var kept = await app.BookAsync("feed.kept@example.com", index: 0);
        var cancelled = await app.BookAsync("feed.cancelled@example.com", index: 1);
        await app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            var booking = (await services.GetRequiredService<Portfolio.Web.Data.PortfolioDbContext>().Bookings.SingleAsync(b => b.Id == cancelled.Id));
            Assert.IsType<BookingResult.Cancelled>(await bookings.CancelAsync(booking, byOwner: true, default));
        });

        var made = await owner.SubmitAsync(Page, [], "form[action*='handler=Feed']");

        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var page = Html.Parse(await made.Content.ReadAsStringAsync());
        var url = page.QuerySelector("#feed-url")!.GetAttribute("value")!;
        Assert.Contains("/bookings/calendar/", url, StringComparison.Ordinal);
        var token = url[(url.LastIndexOf('/') + 1)..];
        // Only the token's hash is kept, and the page shows the link only in the answer that made it.
        var stored = await app.QueryAsync(db => db.ExpertCalendarFeeds.SingleAsync(feed => feed.ExpertKey == kept.ExpertKey));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), stored.TokenHash);
        var again = await (await owner.GetAsync(Page)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, again, StringComparison.Ordinal);
        Assert.Contains("A link exists since", again, StringComparison.Ordinal);

        var response = await app.CreateClient().GetAsync(new Uri(url).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, response.Headers.CacheControl?.ToString());
        var calendar = await response.Content.ReadAsStringAsync();
        Rfc5545.AssertValid(calendar, method: null);
        var unfolded = calendar.Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Contains($"UID:{kept.Id:D}@example.com\r\n", unfolded, StringComparison.Ordinal);
        Assert.DoesNotContain(cancelled.Id.ToString("D"), unfolded, StringComparison.Ordinal);
        Assert.Contains($"LOCATION:{kept.LocationValue}\r\n", unfolded, StringComparison.Ordinal);
        Assert.Contains("feed.kept@example.com", unfolded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReplacedOrRemovedFeedLinkAndAWrongOneAnswer404()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var client = app.CreateClient();
        var first = FeedPath(await owner.SubmitAsync(Page, [], "form[action*='handler=Feed']"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(first)).StatusCode);

        var replaced = await owner.SubmitAsync(Page, [], "form[action*='handler=Feed']");
        var second = FeedPath(replaced);
        Assert.Contains("The earlier link no longer works.", await replaced.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(second)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(second[..^4] + "abcd")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/bookings/calendar/not-a-feed")).StatusCode);

        var removed = await owner.SubmitAsync(Page, [], "form[action*='handler=RevokeFeed']");

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(second)).StatusCode);
        Assert.Contains("There is no link.", await removed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFeedListsRecentMeetingsForThirtyDaysAfterTheyEnded()
    {
        var booking = await app.BookAsync("feed.history@example.com", index: 2);
        var token = await app.WithScopeAsync(services => services.GetRequiredService<ExpertCalendarFeeds>().CreateOrRotateAsync(booking.ExpertKey, default));
        var now = app.Clock.GetUtcNow();
        try
        {
            app.Clock.Set(new DateTimeOffset(booking.EndUtc.AddDays(29), TimeSpan.Zero));
            Assert.Contains(booking.Id.ToString("D"), await FeedAsync(token), StringComparison.Ordinal);

            app.Clock.Set(new DateTimeOffset(booking.EndUtc.AddDays(31), TimeSpan.Zero));
            Assert.DoesNotContain(booking.Id.ToString("D"), await FeedAsync(token), StringComparison.Ordinal);
        }
        finally
        {
            app.Clock.Set(now);
        }
    }

    [Theory]
    [InlineData("VideoRoomPerBooking", "https://meet.example/talha-room", "Put {random} where")]
    [InlineData("VideoRoomPerBooking", "ftp://meet.example/{random}", "starting with https://")]
    [InlineData("VideoRoomPerBooking", "https://meet.example/{random}/{room}", "only {random} and {expert}")]
    [InlineData("VideoRoom", "meet.example/talha", "starting with https://")]
    [InlineData("VideoRoom", "javascript:alert(1)", "starting with https://")]
    [InlineData("Phone", "call me", "Enter a phone number")]
    [InlineData("Address", " ", "Enter the address")]
    public async Task APlaceOfMeetingThatIsNotUsableIsRefusedWithAMessage(string kind, string value, string message)
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);

        var response = await owner.SubmitAsync("/umbraco/availability/maya-lindqvist", WithPlace(kind, value), "form.bo-availability");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, page.QuerySelector(".bo-alert--error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.QuerySelector("#location-value")!.GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task ASavedPlaceIsWhereTheNextBookingMeets()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);

        var saved = await owner.SubmitAsync("/umbraco/availability/maya-lindqvist",
            WithPlace("Address", "TechNext, 1 Ropemaker Street, London EC2Y 9AW"), "form.bo-availability");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var booking = await app.BookAsync("place.saved@example.com", expert: "maya-lindqvist");
        Assert.Equal(MeetingLocationKind.Address, booking.LocationKind);
        Assert.Equal("TechNext, 1 Ropemaker Street, London EC2Y 9AW", booking.LocationValue);
        var form = await owner.GetDocumentAsync("/umbraco/availability/maya-lindqvist");
        Assert.Equal("Address", form.QuerySelector("#location-kind option[selected]")!.GetAttribute("value"));
    }

    private static Dictionary<string, string> WithPlace(string kind, string value) => new()
    {
        ["Form.TimeZone"] = "Europe/Stockholm",
        ["Form.Windows[0].Day"] = "Monday",
        ["Form.Windows[0].Start"] = "09:00",
        ["Form.Windows[0].End"] = "17:00",
        ["Form.SlotMinutes"] = "45",
        ["Form.BufferMinutes"] = "15",
        ["Form.MinimumNoticeHours"] = "24",
        ["Form.HorizonDays"] = "30",
        ["Form.MaxPerDay"] = "4",
        ["Form.Location.Kind"] = kind,
        ["Form.Location.Value"] = value,
    };

    private async Task<string> FeedAsync(string token)
    {
        var response = await app.CreateClient().GetAsync("/bookings/calendar/" + token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static string FeedPath(HttpResponseMessage page)
    {
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var url = Html.Parse(page.Content.ReadAsStringAsync().GetAwaiter().GetResult()).QuerySelector("#feed-url")!.GetAttribute("value")!;
        return new Uri(url).PathAndQuery;
    }
}
