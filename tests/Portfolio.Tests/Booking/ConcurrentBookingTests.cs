using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Booking;

/// <summary>
/// Fifty clients reach for the same slot at once: exactly one gets it. Runs on SQLite or PostgreSQL,
/// whichever the run asks for (PORTFOLIO_TEST_DB); the rate limits are raised so that all fifty get in.
/// </summary>
public sealed class ConcurrentBookingTests(UnthrottledPortfolioApp app) : IClassFixture<UnthrottledPortfolioApp>
{
    private const int Clients = 50;

    [Fact]
    public async Task FiftyConcurrentRequestsForOneSlotGiveExactlyOneBookingAndFortyNineConflicts()
    {
        var client = app.CreateClient();
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-10", 7))[0];
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, Clients).Select(async n =>
        {
            var body = ApiCalls.Booking(slot.Start);
            body["email"] = $"client{n}@example.com";
            body["name"] = $"Client {n}";
            await gate.Task;
            return await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));
        }).ToList();

        gate.SetResult();
        var responses = await Task.WhenAll(requests);

        var statuses = responses.GroupBy(response => response.StatusCode).ToDictionary(group => group.Key, group => group.Count());
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.Created) == 1 && statuses.GetValueOrDefault(HttpStatusCode.Conflict) == Clients - 1,
            "Got " + string.Join(", ", statuses.Select(pair => $"{(int)pair.Key} × {pair.Value}")));
        foreach (var conflict in responses.Where(response => response.StatusCode == HttpStatusCode.Conflict))
        {
            await ApiCalls.ProblemAsync(conflict, 409);
        }

        var winner = (await responses.Single(response => response.StatusCode == HttpStatusCode.Created).Content.ReadFromJsonAsync<BookingAnswer>())!;
        await app.WithDbAsync(async db =>
        {
            var bookings = await db.Bookings.Where(booking => booking.StartUtc == slot.Start).ToListAsync();
            var booking = Assert.Single(bookings);
            Assert.Equal(winner.Id, booking.Id);
            // Only the winner's mails were queued: the losers' rolled back with their booking.
            var mails = await db.EmailOutbox.Where(mail => mail.ToAddress == booking.Email || mail.ReplyTo == booking.Email).CountAsync();
            Assert.Equal(3, mails);
            Assert.Equal(3, await db.EmailOutbox.CountAsync(mail => mail.Kind == "booking-confirmation" || mail.Kind == "booking-notification" || mail.Kind == "booking-expert-notification"));
        });
        Assert.DoesNotContain(await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-10", 7), free => free.Start == slot.Start);
    }
}
