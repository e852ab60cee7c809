using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Contact;

namespace Portfolio.Tests.Api;

/// <summary>
/// The same text from the same address within the duplicate window (10 minutes) is stored once, with one notification;
/// the sender gets the same answer each time. The check is part of the write itself, so these run on both databases.
/// </summary>
public sealed class ContactDuplicateTests(UnthrottledPortfolioApp app) : IClassFixture<UnthrottledPortfolioApp>
{
    [Fact]
    public async Task AResentMessageIsStoredOnceWithOneNotificationAndAnsweredWithTheFirstId()
    {
        var client = app.CreateClient();
        var first = Message(out var address);
        var resent = first.DeepClone().AsObject();
        // Case and spacing do not make a message new.
        resent["message"] = "  " + first["message"]!.GetValue<string>().ToUpperInvariant().Replace(" ", "   \n ", StringComparison.Ordinal);
        resent["email"] = address.ToUpperInvariant();

        var firstId = await SendAsync(client, first);
        app.Clock.Advance(TimeSpan.FromMinutes(9));
        var resentId = await SendAsync(client, resent);

        Assert.Equal(firstId, resentId);
        await app.WithDbAsync(async db =>
        {
            Assert.Equal(1, await db.ContactMessages.CountAsync(m => m.Email == address || m.Email == address.ToUpperInvariant()));
            Assert.Equal(1, await db.EmailOutbox.CountAsync(mail => mail.ReplyTo == address || mail.ReplyTo == address.ToUpperInvariant()));
        });
    }

    [Fact]
    public async Task AfterTheWindowTheSameMessageIsANewOneAndNotifiedAgain()
    {
        var client = app.CreateClient();
        var body = Message(out var address);

        var firstId = await SendAsync(client, body);
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        var laterId = await SendAsync(client, body.DeepClone());

        Assert.NotEqual(firstId, laterId);
        await app.WithDbAsync(async db =>
        {
            Assert.Equal(2, await db.ContactMessages.CountAsync(m => m.Email == address));
            Assert.Equal(2, await db.EmailOutbox.CountAsync(mail => mail.ReplyTo == address));
        });
    }

    [Fact]
    public async Task ADifferentTextFromTheSameAddressIsANewMessage()
    {
        var client = app.CreateClient();
        var body = Message(out var address);
        var other = body.DeepClone().AsObject();
        other["message"] = body["message"]!.GetValue<string>() + " And one more question.";

        var firstId = await SendAsync(client, body);
        var otherId = await SendAsync(client, other);

        Assert.NotEqual(firstId, otherId);
        await app.WithDbAsync(async db => Assert.Equal(2, await db.ContactMessages.CountAsync(m => m.Email == address)));
    }

    [Fact]
    public async Task ResentSpamIsKeptOnceAndNeverMailed()
    {
        var client = app.CreateClient();
        var body = Message(out var address);
        body["message"] = "Cheap links: http://a.example http://b.example http://c.example http://d.example " + Guid.NewGuid().ToString("N");

        var firstId = await SendAsync(client, body);
        var resentId = await SendAsync(client, body.DeepClone());

        Assert.Equal(firstId, resentId);
        await app.WithDbAsync(async db =>
        {
            var kept = await db.ContactMessages.SingleAsync(m => m.Email == address);
            Assert.Equal(ContactMessageStatus.Spam, kept.Status);
            Assert.Equal(0, await db.EmailOutbox.CountAsync(mail => mail.ReplyTo == address));
        });
    }

    /// <summary>A valid message from an address no other test uses.</summary>
    private static JsonObject Message(out string address)
    {
        address = $"dup.{Guid.NewGuid():N}@example.com";
        var body = ApiCalls.ContactMessage();
        body["email"] = address;
        return body;
    }

    private static async Task<Guid> SendAsync(HttpClient client, JsonNode body)
    {
        var response = await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }
}
