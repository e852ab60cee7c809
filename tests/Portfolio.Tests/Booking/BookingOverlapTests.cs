using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Booking;

/// <summary>
/// No double booking is a rule of the database, not only of BookingService: these tests write straight
/// through the DbContext, past every check in code (PostgreSQL: an exclusion constraint over the time
/// range; SQLite: triggers). The rule is about time ranges, so it still holds after an expert's slot
/// length or buffer changes and old and new bookings have different lengths.
/// </summary>
public sealed class BookingOverlapTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    [Fact]
    public async Task TwoOverlappingConfirmedBookingsOfOneExpertCannotBothBeStored()
    {
        await InsertAsync(Booking("talha", "2026-12-01T10:00", minutes: 45));

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(Booking("talha", "2026-12-01T10:30", minutes: 45)));

        Assert.True(DatabaseErrors.IsConflict(refused));
        Assert.Equal(1, await CountAsync("talha", "2026-12-01"));
    }

    [Fact]
    public async Task ABookingOfAnotherLengthThatOverlapsIsRefusedAfterTheSlotLengthChanged()
    {
        // Booked under 45-minute slots; the expert then switches to 90 minutes, and later to 15.
        await InsertAsync(Booking("talha", "2026-12-02T10:00", minutes: 45));

        var longer = await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(Booking("talha", "2026-12-02T09:00", minutes: 90)));
        var inside = await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(Booking("talha", "2026-12-02T10:15", minutes: 15)));
        var around = await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(Booking("talha", "2026-12-02T09:45", minutes: 120)));

        Assert.All([longer, inside, around], exception => Assert.True(DatabaseErrors.IsConflict(exception)));
        Assert.Equal(1, await CountAsync("talha", "2026-12-02"));
    }

    [Fact]
    public async Task BackToBackBookingsAndBookingsOfAnotherExpertAreAllowed()
    {
        await InsertAsync(Booking("talha", "2026-12-03T10:00", minutes: 45));

        await InsertAsync(Booking("talha", "2026-12-03T10:45", minutes: 45)); // starts as the first ends
        await InsertAsync(Booking("talha", "2026-12-03T09:00", minutes: 60)); // ends as the first starts
        await InsertAsync(Booking("maya-lindqvist", "2026-12-03T10:00", minutes: 45));

        Assert.Equal(3, await CountAsync("talha", "2026-12-03"));
    }

    [Fact]
    public async Task ACancelledBookingFreesItsTimeButCannotComeBackOverANewOne()
    {
        var cancelled = Booking("talha", "2026-12-07T10:00", minutes: 45);
        cancelled.Status = BookingStatus.Cancelled;
        await InsertAsync(cancelled);
        await InsertAsync(Booking("talha", "2026-12-07T10:00", minutes: 45));

        var revived = await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDbAsync(async db =>
        {
            var row = await db.Bookings.SingleAsync(booking => booking.Id == cancelled.Id);
            row.Status = BookingStatus.Confirmed;
            await db.SaveChangesAsync();
        }));

        Assert.True(DatabaseErrors.IsConflict(revived));
    }

    [Fact]
    public async Task MovingABookingOntoAnotherIsRefused()
    {
        var first = Booking("talha", "2026-12-08T10:00", minutes: 45);
        await InsertAsync(first);
        await InsertAsync(Booking("talha", "2026-12-08T14:00", minutes: 45));

        var moved = await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDbAsync(async db =>
        {
            var row = await db.Bookings.SingleAsync(booking => booking.Id == first.Id);
            row.StartUtc = Utc("2026-12-08T13:30");
            row.EndUtc = Utc("2026-12-08T14:15");
            await db.SaveChangesAsync();
        }));

        Assert.True(DatabaseErrors.IsConflict(moved));
        await app.WithDbAsync(async db => Assert.Equal(Utc("2026-12-08T10:00"), (await db.Bookings.SingleAsync(b => b.Id == first.Id)).StartUtc));
    }

    [Fact]
    public async Task ABookingThatEndsBeforeItStartsIsRefused()
    {
        var backwards = Booking("talha", "2026-12-09T10:00", minutes: 45);
        (backwards.StartUtc, backwards.EndUtc) = (backwards.EndUtc, backwards.StartUtc);

        await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(backwards));
    }

    [Fact]
    public async Task ABookingThatStartedAlmostADayEarlierStillCounts()
    {
        // The longest booking allowed: SQLite's triggers read only bookings that start up to a day before the new one.
        await InsertAsync(Booking("talha", "2026-12-10T00:00", minutes: 24 * 60));

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(Booking("talha", "2026-12-10T23:15", minutes: 45)));

        Assert.True(DatabaseErrors.IsConflict(refused));
        await InsertAsync(Booking("talha", "2026-12-11T00:00", minutes: 45));
    }

    [Fact]
    public async Task ABookingLongerThanADayIsRefusedAndIsNoConflict()
    {
        var tooLong = Booking("talha", "2026-12-14T10:00", minutes: 24 * 60 + 1);

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(tooLong));

        // A bug in the caller, not a lost race: never a 409.
        Assert.False(DatabaseErrors.IsConflict(refused));
        Assert.Equal(0, await CountAsync("talha", "2026-12-14"));
    }

    [Fact]
    public async Task ABookingCannotBeStretchedPastADay()
    {
        var booking = Booking("talha", "2026-12-17T10:00", minutes: 45);
        await InsertAsync(booking);

        await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDbAsync(async db =>
        {
            var row = await db.Bookings.SingleAsync(b => b.Id == booking.Id);
            row.EndUtc = row.StartUtc.AddDays(2);
            await db.SaveChangesAsync();
        }));
    }

    private Task InsertAsync(ConsultationBooking booking) =>
        app.WithDbAsync(async db =>
        {
            booking.ExpertKey = await db.ContentItems.Where(item => item.Slug == booking.ExpertSlug).Select(item => item.Id).SingleAsync();
            db.Bookings.Add(booking);
            await db.SaveChangesAsync();
        });

    private Task<int> CountAsync(string expert, string day) =>
        app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<PortfolioDbContext>();
            var start = Utc(day + "T00:00");
            return await db.Bookings.CountAsync(booking => booking.ExpertSlug == expert && booking.Status == BookingStatus.Confirmed
                                                           && booking.StartUtc >= start && booking.StartUtc < start.AddDays(1));
        });

    private static ConsultationBooking Booking(string expert, string start, int minutes)
    {
        var startUtc = Utc(start);
        return new ConsultationBooking
        {
            Id = Guid.CreateVersion7(),
            ExpertSlug = expert,
            StartUtc = startUtc,
            EndUtc = startUtc.AddMinutes(minutes),
            Status = BookingStatus.Confirmed,
            Name = "Direct Insert",
            Email = "direct@example.com",
            Topic = "Bypassing the service",
            ClientTimeZone = "UTC",
            ManageTokenHash = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant().PadRight(64, '0'),
            CreatedUtc = startUtc.AddDays(-10),
            UpdatedUtc = startUtc.AddDays(-10),
            Revision = 1,
        };
    }

    private static DateTime Utc(string value) =>
        DateTime.SpecifyKind(DateTime.ParseExact(value, "yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
}
