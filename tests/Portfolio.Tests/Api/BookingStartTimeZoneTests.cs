using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Api;

/// <summary>
/// The API's times are UTC. A start sent without an offset means the same slot whatever time zone the
/// server runs in: the app runs here as a separate process in New York time to show it.
/// </summary>
public sealed class BookingStartTimeZoneTests
{
    [Fact]
    public async Task AStartWithoutAnOffsetIsUtcEvenOnAServerInAnotherTimeZone()
    {
        await using var database = await TestDatabase.CreateAsync();
        var contentRoot = Directory.CreateTempSubdirectory("portfolio-tz-").FullName;
        try
        {
            await using var app = await PortfolioProcess.StartAsync(contentRoot, PortfolioProcess.DatabaseSettings(database),
                new Dictionary<string, string> { ["TZ"] = "America/New_York" });
            using var client = new HttpClient { BaseAddress = app.BaseAddress };
            var slots = await client.GetFromJsonAsync<List<FreeSlotAnswer>>(ApiCalls.Slots("talha", days: 14), JsonSerializerOptions.Web);
            var slot = slots![0];
            var body = ApiCalls.Booking(slot.Start);
            body["start"] = slot.Start.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture); // no "Z"

            var response = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));

            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var booking = (await response.Content.ReadFromJsonAsync<BookingAnswer>(JsonSerializerOptions.Web))!;
            Assert.Equal(slot.Start, booking.Start.ToUniversalTime());
        }
        finally
        {
            try
            {
                Directory.Delete(contentRoot, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is cleaned by the OS eventually.
            }
        }
    }
}
