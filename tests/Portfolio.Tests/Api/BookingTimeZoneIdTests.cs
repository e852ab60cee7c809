using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Api;

/// <summary><c>POST /api/v1/bookings</c> takes the client's time zone as an IANA id only: a Windows id is a field error.</summary>
public sealed class BookingTimeZoneIdTests(UnthrottledPortfolioApp app) : IClassFixture<UnthrottledPortfolioApp>
{
    [Theory]
    [InlineData("W. Europe Standard Time")]
    [InlineData("US/Eastern")]
    [InlineData("localtime")]
    public async Task ANonIanaTimeZoneIsA400WithATimeZoneFieldError(string timeZone)
    {
        var body = await BodyAsync($"tz-refused-{Guid.NewGuid():N}@example.com");
        body["timeZone"] = timeZone;

        var response = await app.CreateClient().PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));

        var problem = await ApiCalls.ProblemAsync(response, 400);
        var messages = problem.GetProperty("errors").GetProperty("timeZone").EnumerateArray().Select(message => message.GetString());
        Assert.Equal(["Use an IANA time zone such as Europe/Berlin."], messages);
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("America/New_York")]
    public async Task AnIanaTimeZoneOrUtcBooks(string timeZone)
    {
        var email = $"tz-{Guid.NewGuid():N}@example.com";
        var body = await BodyAsync(email);
        body["timeZone"] = timeZone;

        var response = await app.CreateClient().PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));

        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await app.WithDbAsync(async db =>
            Assert.Equal(timeZone, (await db.Bookings.SingleAsync(booking => booking.Email == email)).ClientTimeZone));
    }

    /// <summary>A booking body for the next free slot (each test books its own).</summary>
    private async Task<JsonObject> BodyAsync(string email)
    {
        var slot = (await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", "2026-11-03", 28))[0];
        var body = ApiCalls.Booking(slot.Start);
        body["email"] = email;
        return body;
    }
}
