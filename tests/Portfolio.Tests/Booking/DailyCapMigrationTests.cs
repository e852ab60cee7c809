using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Booking;

/// <summary>
/// Finding 10 of issue 13, for the data already there: the BookingDailyCap migration runs on a database with bookings,
/// and the app's next start gives each its expert's day (in the expert's time zone), which the database then counts.
/// Its own app: the test takes the database back a migration and forward again.
/// </summary>
public sealed class DailyCapMigrationTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    [Fact]
    public async Task Finding10_BookingsStoredBeforeTheMigrationAreBackfilledWithTheExpertsDayAndCounted()
    {
        Guid talha = default, maya = default;
        await app.WithDbAsync(async db =>
        {
            talha = await db.ContentItems.Where(item => item.Slug == "talha").Select(item => item.Id).SingleAsync();
            maya = await db.ContentItems.Where(item => item.Slug == "maya-lindqvist").Select(item => item.Id).SingleAsync();
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(db.Database.GetMigrations().Single(id => id.EndsWith("_BoundedBookingLength", StringComparison.Ordinal)));

            // As the app stored bookings before the migration: five on one of Talha's days (over today's limit of four,
            // as the race let happen), and one of Maya's at 23:30 UTC, which is already the next day in Stockholm.
            List<FormattableString> old = [];
            for (var n = 0; n < 5; n++)
            {
                old.Add(OldInsert(talha, "talha", Utc(2026, 11, 9, 9 + n, 0)));
            }

            old.Add(OldInsert(maya, "maya-lindqvist", Utc(2026, 11, 10, 23, 30)));
            await db.ExecuteAtomicallyAsync(old, CancellationToken.None);

            await migrator.MigrateAsync();
        });

        await app.Services.BackfillBookingDaysAsync();

        await app.WithDbAsync(async db =>
        {
            var bookings = await db.Bookings.Where(booking => booking.Email == "before@example.com").ToListAsync();
            Assert.All(bookings.Where(booking => booking.ExpertKey == talha), booking => Assert.Equal(new DateOnly(2026, 11, 9), booking.ExpertDay));
            Assert.Equal(new DateOnly(2026, 11, 11), bookings.Single(booking => booking.ExpertKey == maya).ExpertDay);
            Assert.All(bookings, booking => Assert.Null(booking.MaxPerDay));
            Assert.Equal(5, await db.BookingDays.Where(row => row.ExpertKey == talha && row.Day == new DateOnly(2026, 11, 9)).Select(row => row.Confirmed).SingleAsync());
            Assert.Equal(1, await db.BookingDays.Where(row => row.ExpertKey == maya && row.Day == new DateOnly(2026, 11, 11)).Select(row => row.Confirmed).SingleAsync());
        });

        // From now on the day is full: a sixth booking is refused, and the overlap rule survived the migration.
        var sixth = DailyCapTests.Booking(talha, "talha", Utc(2026, 11, 9, 15, 0), new DateOnly(2026, 11, 9));
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDbAsync(async db =>
        {
            db.Bookings.Add(sixth);
            await db.SaveChangesAsync();
        }));
        Assert.True(DatabaseErrors.IsExpertDayFull(refused));
        var overlapping = DailyCapTests.Booking(talha, "talha", Utc(2026, 11, 10, 9, 0), new DateOnly(2026, 11, 10));
        await app.WithDbAsync(async db =>
        {
            db.Bookings.Add(overlapping);
            await db.SaveChangesAsync();
        });
        var overlap = await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDbAsync(async db =>
        {
            db.Bookings.Add(DailyCapTests.Booking(talha, "talha", Utc(2026, 11, 10, 9, 15), new DateOnly(2026, 11, 10)));
            await db.SaveChangesAsync();
        }));
        Assert.True(DatabaseErrors.IsConflict(overlap));
        Assert.False(DatabaseErrors.IsExpertDayFull(overlap));
    }

    /// <summary>The booking INSERT as it was before BookingDailyCap (no ExpertDay, no MaxPerDay).</summary>
    private static FormattableString OldInsert(Guid expertKey, string expert, DateTime start) => $"""
        INSERT INTO "Bookings" ("Id", "ExpertKey", "ExpertSlug", "StartUtc", "EndUtc", "Status", "Name", "Email", "Company",
            "Topic", "Notes", "ClientTimeZone", "ManageTokenHash", "Sequence", "CreatedUtc", "UpdatedUtc", "CancelledUtc", "Revision")
        VALUES ({Guid.CreateVersion7()}, {expertKey}, {expert}, {start}, {start.AddMinutes(45)}, {0},
            {"Before Migration"}, {"before@example.com"}, {(string?)null}, {"Old booking"}, {(string?)null}, {"UTC"},
            {Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant().PadRight(64, '0')}, {0}, {start.AddDays(-10)}, {start.AddDays(-10)},
            {(DateTime?)null}, {1})
        """;

    private static DateTime Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);
}
