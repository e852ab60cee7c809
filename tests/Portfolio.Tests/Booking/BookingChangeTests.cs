using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Booking;

/// <summary>
/// What the client's calendar sees when a booking changes: a reschedule sends an updated REQUEST with the
/// same UID and a higher SEQUENCE, a cancellation a CANCEL for that UID; too close to the meeting, the
/// client can no longer change it online.
/// </summary>
public sealed class BookingChangeTests(UnthrottledPortfolioApp app) : IClassFixture<UnthrottledPortfolioApp>
{
    [Fact]
    public async Task ARescheduleKeepsTheBookingAndTheInvitationUidAndRaisesTheSequence()
    {
        var (booking, token) = await BookAsync("reschedule@example.com");
        var newStart = (await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", "2026-11-03", 28))[^1].Start;

        var result = await WithBookingsAsync(async (service, _) =>
            await service.RescheduleAsync((await service.FindByTokenAsync(token, default))!, newStart, "http://localhost", token, default));

        Assert.Equal(newStart, Assert.IsType<BookingResult.Moved>(result).Confirmation.Start);
        var invitations = await InvitationsAsync("reschedule@example.com");
        Assert.Equal(2, invitations.Count);
        var (first, updated) = (invitations[0], invitations[1]);
        Assert.Equal("REQUEST", first.CalendarMethod);
        Assert.Equal("REQUEST", updated.CalendarMethod);
        Assert.Equal(Line(first.Calendar!, "UID"), Line(updated.Calendar!, "UID"));
        Assert.StartsWith($"UID:{booking.Id:D}@", Line(first.Calendar!, "UID"), StringComparison.Ordinal);
        Assert.Equal("SEQUENCE:0", Line(first.Calendar!, "SEQUENCE"));
        Assert.Equal("SEQUENCE:1", Line(updated.Calendar!, "SEQUENCE"));
        Assert.Equal($"DTSTART:{newStart:yyyyMMdd'T'HHmmss'Z'}", Line(updated.Calendar!, "DTSTART"));
        await app.WithDbAsync(async db =>
        {
            var stored = await db.Bookings.SingleAsync(b => b.Id == booking.Id);
            Assert.Equal(newStart, stored.StartUtc);
            Assert.Equal(1, stored.Sequence);
        });
    }

    [Fact]
    public async Task ACancellationSendsACancelForTheSameUidAndFreesTheSlot()
    {
        var (booking, token) = await BookAsync("cancel@example.com");

        var result = await WithBookingsAsync(async (service, _) =>
            await service.CancelAsync((await service.FindByTokenAsync(token, default))!, byOwner: false, default));

        Assert.Equal(BookingStatus.Cancelled, Assert.IsType<BookingResult.Cancelled>(result).Booking.Status);
        var invitations = await InvitationsAsync("cancel@example.com");
        Assert.Equal(["REQUEST", "CANCEL"], invitations.Select(mail => mail.CalendarMethod));
        Assert.Equal(Line(invitations[0].Calendar!, "UID"), Line(invitations[1].Calendar!, "UID"));
        Assert.Equal("METHOD:CANCEL", Line(invitations[1].Calendar!, "METHOD"));
        Assert.Equal("STATUS:CANCELLED", Line(invitations[1].Calendar!, "STATUS"));
        Assert.Equal("SEQUENCE:1", Line(invitations[1].Calendar!, "SEQUENCE"));
        Assert.Contains(await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", "2026-11-03", 28), slot => slot.Start == booking.Start);
    }

    [Fact]
    public async Task AClientsCancelOfABookingChangedMeanwhileSavesNothingAndSaysSo()
    {
        var (booking, token) = await BookAsync("cancel.race@example.com");

        var result = await WithBookingsAsync(async (service, _) =>
        {
            var stale = (await service.FindByTokenAsync(token, default))!;
            // The owner (or the client's other tab) changes the booking between this read and the save.
            await app.WithDbAsync(db => db.Bookings.Where(b => b.Id == booking.Id)
                .ExecuteUpdateAsync(update => update.SetProperty(b => b.Revision, b => b.Revision + 1)));
            return await service.CancelAsync(stale, byOwner: false, default);
        });

        Assert.IsType<BookingResult.Changed>(result);
        Assert.Equal(["REQUEST"], (await InvitationsAsync("cancel.race@example.com")).Select(mail => mail.CalendarMethod));
        await app.WithDbAsync(async db => Assert.Equal(BookingStatus.Confirmed, (await db.Bookings.SingleAsync(b => b.Id == booking.Id)).Status));
    }

    [Fact]
    public async Task InsideTheMinimumNoticeTheClientCanNoLongerCancelOnline()
    {
        var (booking, token) = await BookAsync("late@example.com");
        var clock = app.Clock.GetUtcNow();
        try
        {
            app.Clock.Set(new DateTimeOffset(booking.Start.AddHours(-23), TimeSpan.Zero));

            var result = await WithBookingsAsync(async (service, _) =>
                await service.CancelAsync((await service.FindByTokenAsync(token, default))!, byOwner: false, default));

            var invalid = Assert.IsType<BookingResult.Invalid>(result);
            Assert.Contains("booking", invalid.Errors.Keys);
        }
        finally
        {
            app.Clock.Set(clock);
        }
    }

    private async Task<(BookingAnswer Booking, string Token)> BookAsync(string email)
    {
        var client = app.CreateClient();
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 28))[0];
        var body = ApiCalls.Booking(slot.Start);
        body["email"] = email;
        var response = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var booking = (await response.Content.ReadFromJsonAsync<BookingAnswer>())!;
        return (booking, booking.ManageUrl[(booking.ManageUrl.LastIndexOf('/') + 1)..]);
    }

    private Task<BookingResult> WithBookingsAsync(Func<BookingService, PortfolioDbContext, Task<BookingResult>> work) =>
        app.WithScopeAsync(services => work(services.GetRequiredService<BookingService>(), services.GetRequiredService<PortfolioDbContext>()));

    private Task<List<EmailOutboxMessage>> InvitationsAsync(string email) =>
        app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().EmailOutbox.AsNoTracking()
            .Where(mail => mail.ToAddress == email && mail.Calendar != null)
            .OrderBy(mail => mail.Id)
            .ToListAsync());

    private static string Line(string calendar, string name) =>
        calendar.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n").Single(line => line.StartsWith(name + ":", StringComparison.Ordinal));
}
