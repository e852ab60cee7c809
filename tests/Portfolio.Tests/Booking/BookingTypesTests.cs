using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;

namespace Portfolio.Tests.Booking;

/// <summary>
/// Booking types (issue 14, part D): each of an expert's types has its own length, buffer, minimum notice, daily limit
/// and questions. Runs on SQLite or PostgreSQL, whichever the run asks for. The clock is Monday 2 November 2026, 09:00
/// UTC. Talha (Europe/London, UTC in November; Monday 09:30–12:30 and 14:00–17:00) offers a consultation (45 min, 15
/// buffer, 24 h notice, 4 a day), an intro call (15 min, 5 buffer, 12 h, 4 a day) and an architecture review (90 min,
/// 30 buffer, 72 h, 2 a day, four questions).
/// </summary>
public sealed class BookingTypesTests(UnthrottledPortfolioApp app) : IClassFixture<UnthrottledPortfolioApp>
{
    [Fact]
    public async Task EachTypeOffersSlotsOfItsOwnLengthAndStep()
    {
        var client = app.CreateClient();

        var intro = await SlotsAsync(client, "talha", "2026-11-09", "intro-call");
        var review = await SlotsAsync(client, "talha", "2026-11-09", "architecture-review");
        var byDefault = await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-09", 1);

        // 15 minutes every 20 (length plus buffer): nine a window.
        Assert.Equal(18, intro.Count);
        Assert.All(intro, slot => Assert.Equal(TimeSpan.FromMinutes(15), slot.End - slot.Start));
        Assert.Equal(At(9, 9, 50), intro[1].Start);
        // 90 minutes every 120: one a window.
        Assert.Equal([At(9, 9, 30), At(9, 14, 0)], review.Select(slot => slot.Start));
        Assert.All(review, slot => Assert.Equal(TimeSpan.FromMinutes(90), slot.End - slot.Start));
        // Without a type: the first, the consultation.
        Assert.Equal(6, byDefault.Count);
        Assert.All(byDefault, slot => Assert.Equal(TimeSpan.FromMinutes(45), slot.End - slot.Start));
    }

    [Fact]
    public async Task EachTypeKeepsItsOwnMinimumNotice()
    {
        var client = app.CreateClient();

        // Tuesday 3 November 09:30 is 24.5 hours ahead: enough for a consultation, not for a review (72 hours).
        Assert.Contains(At(3, 9, 30), (await SlotsAsync(client, "talha", "2026-11-03", "consultation")).Select(slot => slot.Start));
        Assert.Empty(await SlotsAsync(client, "talha", "2026-11-03", "architecture-review"));
        Assert.NotEmpty(await SlotsAsync(client, "talha", "2026-11-05", "architecture-review"));

        var early = Body(At(3, 9, 30), "architecture-review", ReviewAnswers());
        var problem = await ApiCalls.ProblemAsync(await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(early)), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("start", out _));
    }

    [Fact]
    public async Task AnIntroCallKeepsOnlyItsOwnBufferAroundAnotherMeeting()
    {
        var client = app.CreateClient();
        await BookAsync(client, Body(At(16, 10, 30)));

        var intro = (await SlotsAsync(client, "talha", "2026-11-16", "intro-call")).Select(slot => slot.Start).ToList();

        // The consultation holds 10:30–11:15. With its 5 minutes of buffer an intro call fits 10:10–10:25 and from 11:30
        // on; the consultation's own 15 minutes would have hidden both.
        Assert.Contains(At(16, 10, 10), intro);
        Assert.Contains(At(16, 11, 30), intro);
        Assert.DoesNotContain(At(16, 10, 30), intro);
        Assert.DoesNotContain(At(16, 11, 10), intro);
    }

    [Fact]
    public async Task ADayWithAsManyMeetingsAsATypesLimitRefusesThatTypeButNotOneWithAHigherLimit()
    {
        var client = app.CreateClient();
        // Two consultations that leave both review times free by the clock (11:30 and 16:00).
        await BookAsync(client, Body(At(23, 11, 30)));
        await BookAsync(client, Body(At(23, 16, 0), email: "second@example.com"));

        Assert.Empty(await SlotsAsync(client, "talha", "2026-11-23", "architecture-review"));
        Assert.NotEmpty(await SlotsAsync(client, "talha", "2026-11-23", "consultation"));
        var refused = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(Body(At(23, 9, 30), "architecture-review", ReviewAnswers())));
        var problem = await ApiCalls.ProblemAsync(refused, 409);
        Assert.Equal("That day is fully booked.", problem.GetProperty("title").GetString());

        // The database holds the type's limit too: a review row inserted past every check in code is refused.
        var booked = await StoredAsync("second@example.com");
        var review = new ConsultationBooking
        {
            Id = Guid.CreateVersion7(), ExpertKey = booked.ExpertKey, ExpertSlug = "talha", StartUtc = At(23, 9, 30), EndUtc = At(23, 11, 0),
            Status = BookingStatus.Confirmed, Name = "Direct", Email = "direct@example.com", Topic = "t", ClientTimeZone = "UTC",
            ManageTokenHash = Guid.NewGuid().ToString("N"), CreatedUtc = At(2, 9, 0), UpdatedUtc = At(2, 9, 0), Revision = 1,
            ExpertDay = new DateOnly(2026, 11, 23), MaxPerDay = 2, BookingType = "architecture-review",
        };
        var saved = await app.WithScopeAsync(services =>
            services.GetRequiredService<BookingStore>().TryInsertAsync(review, [], null, CancellationToken.None));
        Assert.Equal(BookingSave.DayFull, saved);

        // A consultation (limit 4) still gets in: the day holds two.
        await BookAsync(client, Body(At(23, 14, 0), email: "third@example.com"));
    }

    [Fact]
    public async Task TheApiListsTheTypesWithTheirQuestions()
    {
        var types = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/experts/talha/booking-types");

        Assert.Equal(["consultation", "intro-call", "architecture-review"], types.EnumerateArray().Select(type => type.GetProperty("slug").GetString()));
        var review = types[2];
        Assert.Equal(90, review.GetProperty("minutes").GetInt32());
        var teamSize = review.GetProperty("questions")[0];
        Assert.Equal("singleChoice", teamSize.GetProperty("kind").GetString());
        Assert.True(teamSize.GetProperty("required").GetBoolean());
        Assert.Equal(3, teamSize.GetProperty("options").GetArrayLength());
    }

    [Fact]
    public async Task BadAnswersAre400WithAFieldErrorPerAnswer()
    {
        var client = app.CreateClient();
        var answers = new JsonObject
        {
            ["team-size"] = "About a hundred",
            ["repository"] = new string('x', 301),
            ["nda"] = 3,
            ["colour"] = "blue",
        };

        var response = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(Body(At(12, 9, 30), "architecture-review", answers)));

        // The number for the checkbox is refused before anything else is looked at.
        var problem = await ApiCalls.ProblemAsync(response, 400);
        Assert.Equal(["answers.nda"], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));

        var withoutNda = (JsonObject)answers.DeepClone();
        withoutNda.Remove("nda");
        problem = await ApiCalls.ProblemAsync(await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(Body(At(12, 9, 30), "architecture-review", withoutNda))), 400);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["answers.colour", "answers.repository", "answers.system", "answers.team-size"],
            errors.EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        Assert.Contains("1–5", errors.GetProperty("answers.team-size")[0].GetString());
        Assert.Contains("at most 300", errors.GetProperty("answers.repository")[0].GetString());
        await app.WithDbAsync(async db => Assert.False(await db.Bookings.AnyAsync(booking => booking.StartUtc == At(12, 9, 30))));
    }

    [Fact]
    public async Task AnUnknownTypeIs400AndNoBooking()
    {
        var client = app.CreateClient();

        var problem = await ApiCalls.ProblemAsync(await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(Body(At(10, 9, 30), "lunch"))), 400);
        Assert.Contains("intro-call", problem.GetProperty("errors").GetProperty("bookingType")[0].GetString());
        var slots = await ApiCalls.ProblemAsync(await client.GetAsync("/api/v1/experts/talha/slots?type=lunch"), 400);
        Assert.True(slots.GetProperty("errors").TryGetProperty("type", out _));
    }

    [Fact]
    public async Task AnswersAreStoredWithTheBookingAndShownInTheOwnersMail()
    {
        var client = app.CreateClient();
        var body = Body(At(19, 9, 30), "architecture-review", ReviewAnswers(), email: "answers@example.com");

        var created = await BookAsync(client, body);

        Assert.Equal(TimeSpan.FromMinutes(90), created.End - created.Start);
        var booking = await StoredAsync("answers@example.com");
        Assert.Equal("architecture-review", booking.BookingType);
        Assert.Equal(2, booking.MaxPerDay);
        var answers = BookingAnswers.Read(booking.Answers);
        Assert.Equal(["team-size", "system", "repository", "nda"], answers.Select(answer => answer.Key));
        Assert.Equal("How many engineers work on the system?", answers[0].Label);
        Assert.Equal("6–20", answers[0].Value);
        Assert.Equal("Yes", answers[3].Value);

        var ownerMail = await app.WithScopeAsync(services => services.GetRequiredService<Portfolio.Web.Data.PortfolioDbContext>().EmailOutbox
            .AsNoTracking().SingleAsync(mail => mail.Kind == "booking-notification" && mail.ReplyTo == "answers@example.com"));
        Assert.Contains("Architecture review (90 minutes)", ownerMail.TextBody, StringComparison.Ordinal);
        Assert.Contains("How many engineers work on the system?", ownerMail.TextBody, StringComparison.Ordinal);
        Assert.Contains("An event-sourced billing platform", ownerMail.TextBody, StringComparison.Ordinal);
        Assert.Contains("How many engineers work on the system?", ownerMail.HtmlBody, StringComparison.Ordinal);
        // Every calendar names the meeting by its type.
        Assert.Contains("SUMMARY:Architecture review: ", ownerMail.Calendar, StringComparison.Ordinal);
        var clientMail = await app.WithScopeAsync(services => services.GetRequiredService<Portfolio.Web.Data.PortfolioDbContext>().EmailOutbox
            .AsNoTracking().SingleAsync(mail => mail.ToAddress == "answers@example.com"));
        Assert.Contains("SUMMARY:Architecture review with ", clientMail.Calendar, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMovedBookingKeepsItsTypesLength()
    {
        var client = app.CreateClient();
        await BookAsync(client, Body(At(26, 9, 30), "intro-call", email: "move@example.com"));
        var booking = await StoredAsync("move@example.com");

        var moved = await app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            var stored = (await services.GetRequiredService<BookingStore>().FindByTokenHashAsync(booking.ManageTokenHash, CancellationToken.None))!;
            return await bookings.RescheduleAsync(stored, At(26, 14, 20), "https://localhost", "token", CancellationToken.None);
        });

        var done = Assert.IsType<BookingResult.Moved>(moved);
        Assert.Equal(At(26, 14, 35), done.Booking.EndUtc);
    }

    internal static DateTime At(int day, int hour, int minute) => new(2026, 11, day, hour, minute, 0, DateTimeKind.Utc);

    internal static JsonObject Body(DateTime start, string? type = null, JsonObject? answers = null, string email = "grace@example.com")
    {
        var body = ApiCalls.Booking(start);
        body["email"] = email;
        if (type is not null)
        {
            body["bookingType"] = type;
        }

        if (answers is not null)
        {
            body["answers"] = answers;
        }

        return body;
    }

    private static JsonObject ReviewAnswers() => new()
    {
        ["team-size"] = "6–20",
        ["system"] = "An event-sourced billing platform on PostgreSQL, 40 services.",
        ["repository"] = "https://example.com/diagram.png",
        ["nda"] = true,
    };

    internal static async Task<BookingAnswer> BookAsync(HttpClient client, JsonObject body)
    {
        var response = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<BookingAnswer>())!;
    }

    internal static async Task<List<FreeSlotAnswer>> SlotsAsync(HttpClient client, string slug, string from, string type, int days = 1)
    {
        var response = await client.GetAsync($"/api/v1/experts/{slug}/slots?from={from}&days={days}&type={type}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<List<FreeSlotAnswer>>(JsonSerializerOptions.Web))!;
    }

    private async Task<ConsultationBooking> StoredAsync(string email)
    {
        ConsultationBooking? found = null;
        await app.WithDbAsync(async db => found = await db.Bookings.AsNoTracking().SingleAsync(booking => booking.Email == email));
        return found!;
    }
}
