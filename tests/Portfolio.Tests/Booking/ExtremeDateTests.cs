using System.Net;
using System.Net.Http.Json;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Tests.Site;

namespace Portfolio.Tests.Booking;

/// <summary>
/// Finding 7 of issue 13: a start far outside the booking horizon (9999-12-31T23:59:59.9999999Z overflowed the slot
/// arithmetic) answered 500 on the API, the booking form and the reschedule form. Any start before now or past the
/// horizon is a 400 (or the form again) with an error at the start field. The fixture's clock is Monday 2 November
/// 2026, 09:00 UTC; Talha books 42 days ahead.
/// </summary>
public sealed class ExtremeDateTests(FormPagesApp app) : IClassFixture<FormPagesApp>
{
    public static TheoryData<string> OutsideTheHorizon =>
    [
        "9999-12-31T23:59:59.9999999Z",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "2026-11-01T10:30:00Z",   // yesterday, a Sunday: before now
        "2026-12-21T09:30:00Z",   // a Monday slot 49 days ahead: past the 42-day horizon
    ];

    [Theory]
    [MemberData(nameof(OutsideTheHorizon))]
    public async Task Finding07_TheBookingApiAnswersAStartOutsideTheHorizonWith400AtTheStartField(string start)
    {
        var body = ApiCalls.Booking(DateTime.UtcNow);
        body["start"] = start;

        var response = await app.CreateClient().PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));

        var problem = await ApiCalls.ProblemAsync(response, 400);
        Assert.Equal(["start"], ApiCalls.ErrorFields(problem));
    }

    [Theory]
    [InlineData("9999-12-31", 62)]
    [InlineData("0001-01-01", 62)]
    [InlineData("9999-12-31", 1)]
    public async Task Finding07_TheSlotsApiAnswersAFarOffOrAncientFromWithNoSlots(string from, int days)
    {
        Assert.Empty(await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", from, days));
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    public async Task Finding07_TheBookingFormShowsAStartOutsideTheHorizonAsAnErrorAtTheSlotList(string start)
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var (page, _) = await BookingPageHtml.DetailsAsync(client, "/team/talha/book", 0);

        var response = await HtmlForm.SubmitAsync(client, page, "#booking-form", new()
        {
            ["start"] = start, ["name"] = "Ada Lovelace", ["email"] = "far@example.com", ["company"] = "", ["topic"] = "Far off", ["notes"] = "",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var again = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("takes no bookings further out", again.QuerySelector("#booking-slots-error")!.TextContent);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    public async Task Finding07_TheRescheduleFormShowsANewStartOutsideTheHorizonAsAnErrorAndKeepsTheBooking(string start)
    {
        var client = app.CreateClient();
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-10", 7))[start.StartsWith('9') ? 0 : 1];
        var body = ApiCalls.Booking(slot.Start);
        body["email"] = $"move-far-{start[..4]}@example.com";
        var booked = (await (await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body))).Content.ReadFromJsonAsync<BookingAnswer>())!;
        var managePath = new Uri(booked.ManageUrl).AbsolutePath;
        var browser = HtmlForm.CreateBrowserClient(app);
        var manage = await browser.GetDocumentAsync(managePath);

        var response = await HtmlForm.SubmitAsync(browser, manage, "#move-form", new() { ["start"] = start });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var again = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("takes no bookings further out", again.QuerySelector("#move-slots-error")!.TextContent);
        await app.WithDbAsync(async db => Assert.Equal(slot.Start, (await db.Bookings.FindAsync(booked.Id))!.StartUtc));
    }
}
