using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Booking;

/// <summary>
/// The times a client may move a booking to: their own booking is not in the way of itself. Talha takes at most
/// four meetings a day; on a full day, the client moving one of the four can still pick that day's other times.
/// </summary>
public sealed class MoveListTests(UnthrottledPortfolioApp app) : IClassFixture<UnthrottledPortfolioApp>
{
    [Fact]
    public async Task OnAFullDayTheClientMovingOneOfItsBookingsSeesTheDaysOtherTimesButNotItsOwn()
    {
        var client = app.CreateClient();
        var free = await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 28);
        var day = free.GroupBy(slot => slot.Start.Date).First(group => group.Count() >= 6).ToList();
        foreach (var (slot, n) in day.Take(4).Select((slot, n) => (slot, n)))
        {
            var body = ApiCalls.Booking(slot.Start);
            body["email"] = $"full-day-{n}@example.com";
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body))).StatusCode);
        }

        var (forEveryone, forTheMover) = await app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            var expert = (await bookings.FindExpertAsync("talha", default))!;
            var mine = await services.GetRequiredService<PortfolioDbContext>().Bookings.AsNoTracking().SingleAsync(b => b.Email == "full-day-0@example.com");
            var dayStart = DateTime.SpecifyKind(day[0].Start.Date, DateTimeKind.Utc);
            return (await bookings.FreeSlotsAsync(expert, dayStart, 1, default),
                await bookings.FreeSlotsAsync(expert, dayStart, 1, default, movingBooking: mine));
        });

        Assert.Empty(forEveryone); // four booked: the day is full
        Assert.Equal(day.Skip(4).Select(slot => slot.Start), forTheMover.Select(slot => slot.StartUtc));
        Assert.DoesNotContain(forTheMover, slot => slot.StartUtc == day[0].Start);
    }
}
