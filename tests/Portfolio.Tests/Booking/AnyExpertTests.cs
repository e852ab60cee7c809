using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;
using static Portfolio.Tests.Booking.BookingTypesTests;

namespace Portfolio.Tests.Booking;

/// <summary>
/// "Any available expert" for a service: the service's slots are the union of its experts' free slots, and a booking
/// goes to one of the experts free then, round-robin by load. Runs on SQLite or PostgreSQL, whichever the run asks
/// for. The test publishes its own service and two experts with Talha's hours (Europe/London), so both are free at the
/// same times; the clock is Monday 2 November 2026, 09:00 UTC.
/// </summary>
public sealed class AnyExpertTests(UnthrottledPortfolioApp app) : IClassFixture<UnthrottledPortfolioApp>
{
    /// <summary>
    /// Publishes a service <c>{prefix}-service</c> offered by <c>{prefix}-ada</c> and <c>{prefix}-bob</c>, and an expert
    /// <c>{prefix}-cat</c> with the same hours who does not offer it. Each test has its own, so their loads stay apart.
    /// </summary>
    private async Task<string> ServiceAsync(string prefix)
    {
        await app.WithContentAsync(async content =>
        {
            var service = await content.CreateAsync(new Service { Title = "Platform review", Summary = "A look at your platform." }, prefix + "-service", "test");
            await content.PublishAsync(service.Key, "test");
            foreach (var name in new[] { "ada", "bob" })
            {
                var expert = await content.CreateAsync(new ExpertProfile
                {
                    Name = name, Role = "Engineer", Summary = "Engineer.", Availability = Talha, Services = [prefix + "-service"],
                }, $"{prefix}-{name}", "test");
                await content.PublishAsync(expert.Key, "test");
            }

            var other = await content.CreateAsync(new ExpertProfile { Name = "cat", Role = "Engineer", Summary = "Engineer.", Availability = Talha }, prefix + "-cat", "test");
            return await content.PublishAsync(other.Key, "test");
        });
        return prefix + "-service";
    }

    [Fact]
    public async Task TheServicesSlotsAreTheUnionOfItsExpertsFreeSlots()
    {
        var client = app.CreateClient();
        var service = await ServiceAsync("union");
        await BookAsync(client, Direct("union-ada", At(9, 9, 30)));

        var slots = await ServiceSlotsAsync(client, service, "2026-11-09");

        // Ada is busy at 09:30 but Bob is free, so the time stays on offer, once.
        Assert.Equal(6, slots.Count);
        Assert.Equal(At(9, 9, 30), slots[0].Start);
        await BookAsync(client, Direct("union-bob", At(9, 9, 30)));
        Assert.DoesNotContain(At(9, 9, 30), (await ServiceSlotsAsync(client, service, "2026-11-09")).Select(slot => slot.Start));
    }

    [Fact]
    public async Task BookingsOfAServiceAreSpreadEvenlyOverItsExperts()
    {
        var client = app.CreateClient();
        var service = await ServiceAsync("spread");
        var times = new[] { At(10, 9, 30), At(10, 10, 30), At(12, 9, 30), At(12, 10, 30), At(17, 9, 30), At(17, 10, 30) };

        var experts = new List<string>();
        foreach (var (time, n) in times.Select((time, n) => (time, n)))
        {
            var booked = await BookAsync(client, ForService(service, time, $"spread{n}@example.com"));
            experts.Add(await ExpertOfAsync(booked.Id));
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        // Equal loads go by slug first, then each booking goes to the one with fewer: they take turns.
        Assert.Equal(["spread-ada", "spread-bob", "spread-ada", "spread-bob", "spread-ada", "spread-bob"], experts);
    }

    [Fact]
    public async Task ABusyExpertIsSkippedEvenWhenTheyHaveFewerMeetings()
    {
        var client = app.CreateClient();
        var service = await ServiceAsync("skip");
        // Bob has two meetings ahead, Ada one, but Ada's is at the time asked for.
        await BookAsync(client, Direct("skip-bob", At(24, 10, 30), "b1@example.com"));
        await BookAsync(client, Direct("skip-bob", At(24, 11, 30), "b2@example.com"));
        await BookAsync(client, Direct("skip-ada", At(24, 9, 30), "a1@example.com"));

        var booked = await BookAsync(client, ForService(service, At(24, 9, 30), "skip@example.com"));

        Assert.Equal("skip-bob", await ExpertOfAsync(booked.Id));
        // Both busy now: the time is taken.
        var again = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(ForService(service, At(24, 9, 30), "late@example.com")));
        await ApiCalls.ProblemAsync(again, 409);
    }

    [Fact]
    public async Task AnUnknownServiceIs404AndATimeNobodyOffersIs400()
    {
        var client = app.CreateClient();
        var service = await ServiceAsync("unknown");

        var unknown = ApiCalls.Booking(At(10, 9, 30));
        unknown.Remove("expert");
        unknown["service"] = "no-such-service";
        var problem = await ApiCalls.ProblemAsync(await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(unknown)), 404);
        Assert.Equal("There is no service with that name.", problem.GetProperty("title").GetString());

        var offHours = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(ForService(service, At(10, 3, 0), "night@example.com")));
        Assert.True((await ApiCalls.ProblemAsync(offHours, 400)).GetProperty("errors").TryGetProperty("start", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/services/no-such-service/slots")).StatusCode);
    }

    private static Availability Talha => new()
    {
        TimeZone = "Europe/London",
        Windows =
        [
            new WeeklyWindow { Day = DayOfWeek.Monday, Start = "09:30", End = "12:30" },
            new WeeklyWindow { Day = DayOfWeek.Monday, Start = "14:00", End = "17:00" },
            new WeeklyWindow { Day = DayOfWeek.Tuesday, Start = "09:30", End = "12:30" },
            new WeeklyWindow { Day = DayOfWeek.Thursday, Start = "09:30", End = "12:30" },
        ],
        SlotMinutes = 45, BufferMinutes = 15, MinimumNoticeHours = 24, HorizonDays = 42, MaxPerDay = 4,
    };

    private static System.Text.Json.Nodes.JsonObject Direct(string expert, DateTime start, string email = "direct@example.com")
    {
        var body = ApiCalls.Booking(start, expert);
        body["email"] = email;
        return body;
    }

    private static System.Text.Json.Nodes.JsonObject ForService(string service, DateTime start, string email)
    {
        var body = ApiCalls.Booking(start);
        body.Remove("expert");
        body["service"] = service;
        body["email"] = email;
        return body;
    }

    private static async Task<List<FreeSlotAnswer>> ServiceSlotsAsync(HttpClient client, string service, string from)
    {
        var response = await client.GetAsync($"/api/v1/services/{service}/slots?from={from}&days=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<FreeSlotAnswer>>(System.Text.Json.JsonSerializerOptions.Web))!;
    }

    private async Task<string> ExpertOfAsync(Guid bookingId)
    {
        var slug = "";
        await app.WithDbAsync(async db => slug = await db.Bookings.Where(booking => booking.Id == bookingId).Select(booking => booking.ExpertSlug).SingleAsync());
        return slug;
    }
}

/// <summary>The any-expert order on its own: load, then last booked, then slug.</summary>
public sealed class RoundRobinTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    [Fact]
    public void TheFewestUpcomingMeetingsComeFirstThenTheLeastRecentlyBookedThenTheSlug()
    {
        var day = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        (Guid Key, string Slug)[] experts = [(A, "ada"), (B, "bob"), (C, "cat")];

        string[] Order(Dictionary<Guid, ExpertLoad> load) => RoundRobin.Order(experts, e => e.Key, e => e.Slug, load).Select(e => e.Slug).ToArray();

        Assert.Equal(["ada", "bob", "cat"], Order([]));
        Assert.Equal(["bob", "cat", "ada"], Order(new() { [A] = new(1, day) }));
        Assert.Equal(["cat", "bob", "ada"], Order(new() { [A] = new(1, day.AddHours(2)), [B] = new(1, day.AddHours(1)) }));
        // A never-booked expert goes before one booked long ago at equal load.
        Assert.Equal(["cat", "ada", "bob"], Order(new() { [A] = new(0, day), [B] = new(2, day), [C] = new(0, null) }));
    }
}
