using System.Net;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;

namespace Portfolio.Tests.Backoffice.Owner;

/// <summary>Bookings at /umbraco/bookings: the lists, the week calendar in the owner's zone, and cancelling.</summary>
public sealed class OwnerBookingsTests(OwnerApp app) : IClassFixture<OwnerApp>
{
    [Fact]
    public async Task CancellingABookingQueuesTheClientsCancelInvitationAndIsAudited()
    {
        var (owner, user) = await app.SignedInAsync(BackofficeRoles.Owner);
        var email = $"cancel-{Guid.NewGuid():N}@example.com";
        var booking = await app.BookAsync(email, index: 0);
        var page = $"/umbraco/bookings/{booking.Id}";

        var unconfirmed = await owner.SubmitAsync(page, [], "form[action*='handler=Cancel']");
        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.Equal(BookingStatus.Confirmed, await StatusAsync(booking.Id));

        var cancelled = await owner.SubmitAsync(page, new() { ["ConfirmCancel"] = "true" }, "form[action*='handler=Cancel']");
        Assert.Equal($"{page}?status=cancelled", cancelled.Headers.Location?.PathAndQuery());
        Assert.Equal(BookingStatus.Cancelled, await StatusAsync(booking.Id));

        var invitations = await app.QueryAsync(db => db.EmailOutbox.AsNoTracking()
            .Where(mail => mail.ToAddress == email && mail.Calendar != null).OrderBy(mail => mail.Id).ToListAsync());
        Assert.Equal(["REQUEST", "CANCEL"], invitations.Select(mail => mail.CalendarMethod));
        Assert.Equal("booking-cancellation", invitations[1].Kind);
        Assert.Contains("METHOD:CANCEL", invitations[1].Calendar, StringComparison.Ordinal);
        Assert.Contains("we had to cancel", invitations[1].TextBody, StringComparison.Ordinal);

        var audit = await app.QueryAsync(db => db.AuditEntries.SingleAsync(e => e.Action == OwnerAudit.BookingCancelled && e.EntityId == booking.Id.ToString()));
        Assert.Equal(user.Id, audit.UserId);
        // A second cancel is refused, not repeated.
        var page2 = await owner.GetDocumentAsync(page);
        Assert.Null(page2.QuerySelector("form[action*='handler=Cancel']"));
    }

    [Fact]
    public async Task UpcomingAndPastListsAndTheWeekCalendarShowBookingsInTheChosenTimeZone()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var booking = await app.BookAsync($"week-{Guid.NewGuid():N}@example.com", index: 3, name: "Katherine Johnson");

        var upcoming = await owner.GetDocumentAsync("/umbraco/bookings");
        Assert.Contains(upcoming.QuerySelectorAll("main tbody tr"), row => row.TextContent.Contains("Katherine Johnson", StringComparison.Ordinal));
        var past = await owner.GetDocumentAsync("/umbraco/bookings?show=past");
        Assert.DoesNotContain(past.QuerySelectorAll("main tbody tr"), row => row.TextContent.Contains("Katherine Johnson", StringComparison.Ordinal));

        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var local = TimeZoneInfo.ConvertTimeFromUtc(booking.StartUtc, tokyo);
        var date = DateOnly.FromDateTime(local).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var week = await owner.GetDocumentAsync($"/umbraco/bookings/week?date={date}&tz=Asia/Tokyo");
        var entry = week.QuerySelectorAll(".bo-week__booking").Single(li => li.TextContent.Contains("Katherine Johnson", StringComparison.Ordinal));
        Assert.Contains(local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), entry.TextContent, StringComparison.Ordinal);
        var day = entry.Closest(".bo-week__day")!.QuerySelector("h3")!.TextContent;
        Assert.Contains(local.ToString("ddd d MMM", System.Globalization.CultureInfo.InvariantCulture), day, StringComparison.Ordinal);
        Assert.Equal(7, week.QuerySelectorAll(".bo-week__day").Length);
        Assert.Equal("Asia/Tokyo", week.QuerySelector("select[name=tz] option[selected]")!.GetAttribute("value"));

        // The chosen zone is remembered; the next week holds none of this week's bookings.
        var next = week.QuerySelectorAll("nav.bo-pager a").Single(a => a.TextContent == "Next week").GetAttribute("href")!;
        var nextWeek = await owner.GetDocumentAsync(next);
        Assert.Equal("Asia/Tokyo", nextWeek.QuerySelector("select[name=tz] option[selected]")!.GetAttribute("value"));
        Assert.DoesNotContain(nextWeek.QuerySelectorAll(".bo-week__booking"), li => li.TextContent.Contains("Katherine Johnson", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABookingThatTookPlaceCannotBeCancelled()
    {
        var booking = await app.BookAsync($"over-{Guid.NewGuid():N}@example.com", index: 5);
        var now = app.Clock.GetUtcNow();
        try
        {
            app.Clock.Set(new DateTimeOffset(booking.EndUtc.AddMinutes(1), TimeSpan.Zero));
            var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
            var page = $"/umbraco/bookings/{booking.Id}";
            Assert.Null((await owner.GetDocumentAsync(page)).QuerySelector("form[action*='handler=Cancel']"));

            var response = await owner.PostFormAsync($"{page}?handler=Cancel",
                [new("__RequestVerificationToken", await owner.AntiforgeryTokenAsync()), new("ConfirmCancel", "true")]);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("This meeting is over", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(BookingStatus.Confirmed, await StatusAsync(booking.Id));
        }
        finally
        {
            app.Clock.Set(now);
        }
    }

    private Task<BookingStatus> StatusAsync(Guid id) =>
        app.QueryAsync(db => db.Bookings.Where(b => b.Id == id).Select(b => b.Status).SingleAsync());
}
