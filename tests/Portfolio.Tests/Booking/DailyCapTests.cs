using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Booking;

/// <summary>
/// Finding 10 of issue 13: an expert's limit of bookings a day is a rule of the database, as overlaps are. Six clients
/// booking six distinct free slots of one day at once all got in, because each passed the app's count before any was
/// stored. Runs on SQLite or PostgreSQL, whichever the run asks for (PORTFOLIO_TEST_DB). The fixture's clock is Monday
/// 2 November 2026, 09:00 UTC; Talha (Europe/London, UTC in November) offers six slots on a Monday and takes four a day.
/// </summary>
public sealed class DailyCapTests(UnthrottledPortfolioApp app) : IClassFixture<UnthrottledPortfolioApp>
{
    private const int TalhasMaxPerDay = 4;

    [Fact]
    public async Task Finding10_SixConcurrentBookingsOfDistinctSlotsOfOneDayGiveExactlyFourAndTwoConflicts()
    {
        var client = app.CreateClient();
        var monday = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-09", 1)).Select(slot => slot.Start).ToList();
        Assert.Equal(6, monday.Count);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = monday.Select(async (start, n) =>
        {
            var body = ApiCalls.Booking(start);
            body["email"] = $"cap{n}@example.com";
            await gate.Task;
            return await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));
        }).ToList();

        gate.SetResult();
        var responses = await Task.WhenAll(requests);

        var statuses = responses.GroupBy(response => response.StatusCode).ToDictionary(group => group.Key, group => group.Count());
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.Created) == TalhasMaxPerDay && statuses.GetValueOrDefault(HttpStatusCode.Conflict) == 2,
            "Got " + string.Join(", ", statuses.Select(pair => $"{(int)pair.Key} × {pair.Value}")));
        foreach (var conflict in responses.Where(response => response.StatusCode == HttpStatusCode.Conflict))
        {
            var problem = await ApiCalls.ProblemAsync(conflict, 409);
            Assert.Equal("That day is fully booked.", problem.GetProperty("title").GetString());
            Assert.Contains("fully booked on that day", problem.GetProperty("detail").GetString());
        }

        var created = new List<Guid>();
        foreach (var response in responses.Where(response => response.StatusCode == HttpStatusCode.Created))
        {
            created.Add((await response.Content.ReadFromJsonAsync<BookingAnswer>())!.Id);
        }

        await app.WithDbAsync(async db =>
        {
            var stored = await db.Bookings.Where(booking => booking.Email.StartsWith("cap") && booking.Status == BookingStatus.Confirmed).ToListAsync();
            Assert.Equal(created.Order(), stored.Select(booking => booking.Id).Order());
            Assert.All(stored, booking => Assert.Equal(new DateOnly(2026, 11, 9), booking.ExpertDay));
            Assert.Equal(TalhasMaxPerDay, await ConfirmedOnAsync(db, stored[0].ExpertKey, new DateOnly(2026, 11, 9)));
        });
        Assert.Empty(await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-09", 1));
    }

    /// <summary>The same race without the app's own check: every insert goes straight to the store, each on its own connection.</summary>
    [Fact]
    public async Task Finding10_SixConcurrentStoreInsertsOnSeparateConnectionsStoreExactlyFour()
    {
        var expertKey = await ExpertKeyAsync("talha");
        var day = new DateOnly(2026, 11, 16);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inserts = Enumerable.Range(0, 6).Select(n => app.WithScopeAsync(async services =>
        {
            var booking = Booking(expertKey, "talha", day.ToDateTime(new TimeOnly(8 + n, 0), DateTimeKind.Utc), day);
            var store = services.GetRequiredService<BookingStore>();
            await gate.Task;
            return await store.TryInsertAsync(booking, [], null, CancellationToken.None);
        })).ToList();

        gate.SetResult();
        var results = await Task.WhenAll(inserts);

        Assert.Equal(TalhasMaxPerDay, results.Count(result => result == BookingSave.Saved));
        Assert.Equal(2, results.Count(result => result == BookingSave.DayFull));
        await app.WithDbAsync(async db => Assert.Equal(TalhasMaxPerDay, await ConfirmedOnAsync(db, expertKey, day)));
    }

    /// <summary>Written through the DbContext, past every check in code: inserts, cancellations and moves keep the count right.</summary>
    [Fact]
    public async Task Finding10_TheDatabaseRefusesAFifthBookingOfTheDayAndCountsCancellationsAndMoves()
    {
        var expertKey = await ExpertKeyAsync("talha");
        var day = new DateOnly(2026, 11, 23);
        var otherDay = day.AddDays(1);
        var four = Enumerable.Range(0, 4).Select(n => Booking(expertKey, "talha", day.ToDateTime(new TimeOnly(9 + n, 0), DateTimeKind.Utc), day)).ToList();
        foreach (var booking in four)
        {
            await InsertAsync(booking);
        }

        var fifth = Booking(expertKey, "talha", day.ToDateTime(new TimeOnly(15, 0), DateTimeKind.Utc), day);
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(fifth));
        Assert.True(DatabaseErrors.IsExpertDayFull(refused));
        Assert.True(DatabaseErrors.IsConflict(refused), "A full day is a lost race: 409, not 500.");

        // A booking of the next day cannot be moved onto the full day either.
        var elsewhere = Booking(expertKey, "talha", otherDay.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc), otherDay);
        await InsertAsync(elsewhere);
        var moved = await Assert.ThrowsAsync<DbUpdateException>(() => UpdateAsync(elsewhere.Id, row =>
        {
            row.StartUtc = day.ToDateTime(new TimeOnly(16, 0), DateTimeKind.Utc);
            row.EndUtc = row.StartUtc.AddMinutes(45);
            row.ExpertDay = day;
            row.MaxPerDay = TalhasMaxPerDay;
        }));
        Assert.True(DatabaseErrors.IsExpertDayFull(moved));

        // Cancelling one frees a place, which the refused fifth then takes; moving one away frees another.
        await UpdateAsync(four[0].Id, row => row.Status = BookingStatus.Cancelled);
        await InsertAsync(Booking(expertKey, "talha", fifth.StartUtc, day));
        await UpdateAsync(four[1].Id, row =>
        {
            row.StartUtc = otherDay.ToDateTime(new TimeOnly(11, 0), DateTimeKind.Utc);
            row.EndUtc = row.StartUtc.AddMinutes(45);
            row.ExpertDay = otherDay;
        });
        await app.WithDbAsync(async db =>
        {
            Assert.Equal(3, await ConfirmedOnAsync(db, expertKey, day));
            Assert.Equal(2, await ConfirmedOnAsync(db, expertKey, otherDay));
            Assert.Equal(3, await db.Bookings.CountAsync(b => b.ExpertKey == expertKey && b.ExpertDay == day && b.Status == BookingStatus.Confirmed));
        });

        // Deleting a confirmed booking (retention, erasure) takes it off the count too.
        await app.WithDbAsync(async db =>
        {
            await db.Bookings.Where(b => b.Id == four[2].Id).ExecuteDeleteAsync();
            Assert.Equal(2, await ConfirmedOnAsync(db, expertKey, day));
        });
    }

    [Fact]
    public async Task Finding10_RescheduleOntoAFullDayIsRefusedWithAFriendlyMessageAndTheBookingStays()
    {
        var client = app.CreateClient();
        var monday = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-30", 1)).Select(slot => slot.Start).ToList();
        for (var n = 0; n < TalhasMaxPerDay; n++)
        {
            var body = ApiCalls.Booking(monday[n]);
            body["email"] = $"full{n}@example.com";
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body))).StatusCode);
        }

        var tuesday = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-12-01", 1))[0].Start;
        var mover = ApiCalls.Booking(tuesday);
        mover["email"] = "mover@example.com";
        var answer = (await (await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(mover))).Content.ReadFromJsonAsync<BookingAnswer>())!;

        var result = await app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            var token = answer.ManageUrl[(answer.ManageUrl.LastIndexOf('/') + 1)..];
            var booking = (await bookings.FindByTokenAsync(token, CancellationToken.None))!;
            return await bookings.RescheduleAsync(booking, monday[TalhasMaxPerDay], "http://localhost", token, CancellationToken.None);
        });

        var taken = Assert.IsType<BookingResult.Taken>(result);
        Assert.Equal("That day is fully booked.", taken.Title);
        Assert.Contains("Please choose a time on another day", taken.Reason);
        await app.WithDbAsync(async db => Assert.Equal(tuesday, (await db.Bookings.SingleAsync(b => b.Id == answer.Id)).StartUtc));
    }

    private Task<Guid> ExpertKeyAsync(string slug) =>
        app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().ContentItems
            .Where(item => item.Slug == slug).Select(item => item.Id).SingleAsync());

    private static Task<int> ConfirmedOnAsync(PortfolioDbContext db, Guid expertKey, DateOnly day) =>
        db.BookingDays.Where(row => row.ExpertKey == expertKey && row.Day == day).Select(row => row.Confirmed).SingleAsync();

    private Task InsertAsync(ConsultationBooking booking) =>
        app.WithDbAsync(async db =>
        {
            db.Bookings.Add(booking);
            await db.SaveChangesAsync();
        });

    private Task UpdateAsync(Guid id, Action<ConsultationBooking> change) =>
        app.WithDbAsync(async db =>
        {
            change(await db.Bookings.SingleAsync(booking => booking.Id == id));
            await db.SaveChangesAsync();
        });

    internal static ConsultationBooking Booking(Guid expertKey, string expert, DateTime startUtc, DateOnly? expertDay, int? maxPerDay = TalhasMaxPerDay) => new()
    {
        Id = Guid.CreateVersion7(),
        ExpertKey = expertKey,
        ExpertSlug = expert,
        StartUtc = startUtc,
        EndUtc = startUtc.AddMinutes(45),
        Status = BookingStatus.Confirmed,
        Name = "Direct Insert",
        Email = "direct@example.com",
        Topic = "Bypassing the service",
        ClientTimeZone = "UTC",
        ManageTokenHash = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant().PadRight(64, '0'),
        CreatedUtc = startUtc.AddDays(-10),
        UpdatedUtc = startUtc.AddDays(-10),
        Revision = 1,
        ExpertDay = expertDay,
        MaxPerDay = maxPerDay,
    };
}
