using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portfolio.Tests.Api;

/// <summary>A free slot as <c>GET /api/v1/experts/{slug}/slots</c> answers it.</summary>
public sealed record FreeSlotAnswer(DateTime Start, DateTime End, string ExpertLocalStart, string ExpertLocalEnd, string ExpertTimeZone);

/// <summary>The 201 body of <c>POST /api/v1/bookings</c>.</summary>
public sealed record BookingAnswer(Guid Id, DateTime Start, DateTime End, string ManageUrl, LocationAnswer? Location = null);

public sealed record LocationAnswer(string Kind, string Value, string? Url);

/// <summary>Requests and answers of the public API, as a client would send and read them.</summary>
public static class ApiCalls
{
    public const string ContactMessages = "/api/v1/contact-messages";
    public const string Bookings = "/api/v1/bookings";

    public static string Slots(string slug, string? from = null, int? days = null)
    {
        var query = new List<string>();
        if (from is not null)
        {
            query.Add("from=" + Uri.EscapeDataString(from));
        }

        if (days is not null)
        {
            query.Add("days=" + days.Value.ToString(CultureInfo.InvariantCulture));
        }

        return $"/api/v1/experts/{slug}/slots" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    /// <summary>A valid contact message; the marker keeps it apart from every other (duplicates are stored once).</summary>
    public static JsonObject ContactMessage(string? marker = null) => new()
    {
        ["name"] = "Ada Lovelace",
        ["email"] = "ada@example.com",
        ["company"] = "Analytical Engines Ltd",
        ["subject"] = "Scaling our API",
        ["message"] = $"Our API slows down at peak hours. Could we talk about caching? {marker ?? Guid.NewGuid().ToString("N")}",
    };

    public static JsonObject Booking(DateTime start, string expert = "talha") => new()
    {
        ["expert"] = expert,
        ["start"] = start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["name"] = "Grace Hopper",
        ["email"] = "grace@example.com",
        ["company"] = "Navy Labs",
        ["topic"] = "Database scaling review",
        ["notes"] = "We run PostgreSQL 15.",
        ["timeZone"] = "Europe/Berlin",
    };

    public static StringContent Json(JsonNode body) => Json(body.ToJsonString());

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static async Task<List<FreeSlotAnswer>> FreeSlotsAsync(HttpClient client, string slug, string from, int days)
    {
        var response = await client.GetAsync(Slots(slug, from, days));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<FreeSlotAnswer>>(JsonSerializerOptions.Web))!;
    }

    /// <summary>
    /// Reads an error answer and checks what every error promises: RFC 9457 problem details with a trace id
    /// and nothing internal (no stack trace, exception or type name, SQL, driver name).
    /// </summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int expectedStatus)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus,
            $"Expected {expectedStatus} but got {(int)response.StatusCode} for {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(expectedStatus, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), body);
        Assert.True(problem.TryGetProperty("traceId", out var traceId) && !string.IsNullOrWhiteSpace(traceId.GetString()), $"No traceId in {body}");
        AssertNothingInternal(body);
        return problem;
    }

    public static void AssertNothingInternal(string body)
    {
        foreach (var leak in new[]
                 {
                     "Exception", "   at ", "System.", "Microsoft.", "Portfolio.Web", "Npgsql", "Sqlite", "SQLite", "SELECT ", "INSERT ",
                     "UPDATE ", "constraint", "stack", "\"exception\"", "\"detail\":\"at ",
                 })
        {
            Assert.False(body.Contains(leak, StringComparison.Ordinal), $"The error body leaks '{leak}': {body}");
        }
    }

    /// <summary>The field names of a validation problem's <c>errors</c>.</summary>
    public static IReadOnlyList<string> ErrorFields(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(field => field.Name).ToList() : [];
}
