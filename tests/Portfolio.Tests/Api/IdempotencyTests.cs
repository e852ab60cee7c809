using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Api;

/// <summary>
/// <c>Idempotency-Key</c> on <c>POST /api/v1/bookings</c>: a retried request gets the first answer again and
/// never makes a second booking; the key cannot be reused for another request.
/// </summary>
public sealed class IdempotencyTests(UnthrottledPortfolioApp app) : IClassFixture<UnthrottledPortfolioApp>
{
    [Fact]
    public async Task TheSameKeyAndBodyGiveTheSameAnswerAndOneBooking()
    {
        var (body, key) = await NewBookingAsync("retry@example.com");

        var first = await PostAsync(body, key);
        var retry = await PostAsync(body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Contains("/bookings/manage/", firstBody, StringComparison.Ordinal);
        await AssertOneBookingWithItsMailsAsync("retry@example.com");
    }

    [Fact]
    public async Task Finding05_TheStoredAnswerHoldsNoManageTokenYetARetryGetsTheSameAnswer()
    {
        var (body, key) = await NewBookingAsync("finding05.replay@example.com");

        var first = await PostAsync(body, key);
        var firstBody = await first.Content.ReadAsStringAsync();
        var manageUrl = System.Text.Json.JsonDocument.Parse(firstBody).RootElement.GetProperty("manageUrl").GetString()!;
        var token = manageUrl[(manageUrl.LastIndexOf('/') + 1)..];
        var stored = new List<string>();
        await app.WithDbAsync(async db => stored = await db.IdempotentRequests.AsNoTracking().Select(row => row.ResponseJson).ToListAsync());
        var retry = await PostAsync(body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(43, token.Length);
        Assert.NotEmpty(stored);
        Assert.DoesNotContain(stored, json => json.Contains(token, StringComparison.Ordinal) || json.Contains("/bookings/manage/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodyIsRefusedWith422()
    {
        var (body, key) = await NewBookingAsync("changed@example.com");
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(body, key)).StatusCode);
        var changed = body.DeepClone().AsObject();
        changed["topic"] = "Something else entirely";

        var reused = await PostAsync(changed, key);

        await ApiCalls.ProblemAsync(reused, 422);
        await AssertOneBookingWithItsMailsAsync("changed@example.com");
    }

    [Fact]
    public async Task TheSameStartWrittenWithAnotherOffsetIsTheSameRequest()
    {
        var (body, key) = await NewBookingAsync("offset@example.com");
        var start = DateTimeOffset.Parse(body["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var sameInstant = body.DeepClone().AsObject();
        sameInstant["start"] = start.ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

        var first = await PostAsync(body, key);
        var retry = await PostAsync(sameInstant, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        await AssertOneBookingWithItsMailsAsync("offset@example.com");
    }

    [Fact]
    public async Task ConcurrentRequestsWithTheSameKeyMakeOneBookingAndAllGetItsAnswer()
    {
        var (body, key) = await NewBookingAsync("concurrent@example.com");
        var client = app.CreateClient();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, 20).Select(async _ =>
        {
            await gate.Task;
            return await PostAsync(body, key, client);
        }).ToList();

        gate.SetResult();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        var answers = await Task.WhenAll(responses.Select(response => response.Content.ReadAsStringAsync()));
        Assert.Single(answers.Distinct());
        await AssertOneBookingWithItsMailsAsync("concurrent@example.com");
    }

    [Fact]
    public async Task WithoutAKeyTheSameRequestTwiceIsAConflictNotASecondBooking()
    {
        var (body, _) = await NewBookingAsync("nokey@example.com");

        var first = await app.CreateClient().PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));
        var second = await app.CreateClient().PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await ApiCalls.ProblemAsync(second, 409);
        await AssertOneBookingWithItsMailsAsync("nokey@example.com");
    }

    /// <summary>A body for the next free slot (each test books its own) and a fresh key.</summary>
    private async Task<(JsonObject Body, string Key)> NewBookingAsync(string email)
    {
        var slot = (await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", "2026-11-03", 28))[0];
        var body = ApiCalls.Booking(slot.Start);
        body["email"] = email;
        return (body, Guid.NewGuid().ToString());
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject body, string key, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiCalls.Bookings) { Content = ApiCalls.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await (client ?? app.CreateClient()).SendAsync(request);
    }

    private Task AssertOneBookingWithItsMailsAsync(string email) =>
        app.WithDbAsync(async db =>
        {
            Assert.Equal(1, await db.Bookings.CountAsync(booking => booking.Email == email));
            // The client, the expert and the owner.
            Assert.Equal(3, await db.EmailOutbox.CountAsync(mail => mail.ToAddress == email || mail.ReplyTo == email));
        });
}
