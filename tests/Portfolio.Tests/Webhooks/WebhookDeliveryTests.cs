using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Backoffice;
using Portfolio.Tests.Infrastructure;
using Portfolio.TestSupport;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;
using Portfolio.Web.Webhooks;

namespace Portfolio.Tests.Webhooks;

/// <summary>
/// Outgoing webhooks end to end against a real HTTP receiver on loopback: what is queued with which change, how it is
/// signed, retried, given up and sent again, and that each attempt is on record.
/// </summary>
public sealed class WebhookDeliveryTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    /// <summary>Talha's profile in the sample content.</summary>
    private static readonly Guid TalhaKey = Guid.Parse("628e4673-068f-4ed6-ab3a-193a416b581a");

    [Fact]
    public async Task AWebhookAddedOnThePageGetsABookingAsOneDeliveryWhoseSignatureVerifiesWithTheSecretShownOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await app.AdministratorWithConfirmedPasswordAsync();
        var name = $"CRM {Guid.NewGuid():N}"[..16];

        var added = await admin.SubmitAsync("/umbraco/webhooks", new()
        {
            ["Name"] = name, ["Url"] = receiver.Url, ["Events"] = WebhookEventTypes.BookingCreated, ["Enabled"] = "true",
        });

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var secret = Html.Parse(await added.Content.ReadAsStringAsync()).QuerySelector("#webhook-secret")?.GetAttribute("value");
        Assert.NotNull(secret);
        Assert.StartsWith("whsec_", secret);
        var webhook = await app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().Webhooks.AsNoTracking().SingleAsync(w => w.Name == name));
        Assert.DoesNotContain(secret["whsec_".Length..], webhook.ProtectedSecret);
        // Shown once: the webhook's own page never shows it again.
        Assert.DoesNotContain(secret, await admin.GetStringAsync($"/umbraco/webhooks/{webhook.Id}"));

        var email = $"signed.{Guid.NewGuid():N}@example.com";
        var booking = await app.BookAsync(email);
        await app.DispatchAsync();

        var received = Assert.Single(receiver.Received);
        Assert.True(WebhooksApp.SignatureVerifies(received, secret), $"The signature {received.Signature} does not verify.");
        Assert.False(WebhooksApp.SignatureVerifies(received with { Body = received.Body.Replace("confirmed", "cancelled", StringComparison.Ordinal) }, secret),
            "A changed body must not verify.");
        Assert.Equal(app.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), received.Timestamp);
        Assert.StartsWith("application/json", received.ContentType);
        using var payload = JsonDocument.Parse(received.Body);
        Assert.Equal(WebhookEventTypes.BookingCreated, payload.RootElement.GetProperty("type").GetString());
        Assert.Equal(received.Id, payload.RootElement.GetProperty("id").GetString());
        var data = payload.RootElement.GetProperty("data");
        Assert.Equal(booking.Id, data.GetProperty("id").GetGuid());
        Assert.Equal("talha", data.GetProperty("expert").GetString());
        Assert.Equal("confirmed", data.GetProperty("status").GetString());
        Assert.Equal(booking.StartUtc, data.GetProperty("start").GetDateTime().ToUniversalTime());
        // Nothing of the client's and no manage link: the receiver is another system.
        Assert.DoesNotContain(email, received.Body);
        Assert.DoesNotContain("Grace", received.Body);
        Assert.DoesNotContain("manage", received.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(booking.ManageTokenHash, received.Body);

        var delivery = Assert.Single(await app.DeliveriesAsync(webhook.Id));
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(200, Assert.Single(delivery.DeliveryAttempts).StatusCode);
    }

    [Fact]
    public async Task AnEndpointThatAnswers500IsTriedAgainAfterItsBackoffWithTheSameIdAndEveryAttemptIsRecorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answers.Enqueue(500);
        var (webhook, secret) = await app.AddWebhookAsync(receiver.Url, WebhookEventTypes.BookingCreated);

        await app.BookAsync($"retry.{Guid.NewGuid():N}@example.com");
        await app.DispatchAsync();

        var failed = Assert.Single(await app.DeliveriesAsync(webhook.Id));
        Assert.Equal(WebhookDeliveryStatus.Pending, failed.Status);
        Assert.Equal(500, failed.LastStatusCode);
        Assert.True(failed.NextAttemptUtc > app.Clock.GetUtcNow().UtcDateTime, "A failed delivery waits for its backoff.");
        await app.DispatchAsync();
        Assert.Single(receiver.Received); // Not due yet: nothing posted.

        app.Clock.Advance(TimeSpan.FromHours(2));
        await app.DispatchAsync();

        var delivered = Assert.Single(await app.DeliveriesAsync(webhook.Id));
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivered.Status);
        Assert.Collection(delivered.DeliveryAttempts,
            first => { Assert.Equal(500, first.StatusCode); Assert.False(first.Succeeded); Assert.Contains("500", first.Error); },
            second => { Assert.Equal(200, second.StatusCode); Assert.True(second.Succeeded); Assert.Null(second.Error); });
        var posts = receiver.Received.ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Id, posts[1].Id);
        Assert.Equal(posts[0].Body, posts[1].Body);
        Assert.NotEqual(posts[0].Timestamp, posts[1].Timestamp);
        Assert.All(posts, post => Assert.True(WebhooksApp.SignatureVerifies(post, secret)));
    }

    [Fact]
    public async Task AnEndpointThatIsDownMakesTheDeliveryDeadAfterTheLastAttemptAndSendAgainOnThePageDeliversIt()
    {
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}/hooks/portfolio";
        var (webhook, secret) = await app.AddWebhookAsync(url, WebhookEventTypes.BookingCreated);
        await app.BookAsync($"down.{Guid.NewGuid():N}@example.com");

        for (var attempt = 0; attempt < WebhooksApp.MaxAttempts + 1; attempt++)
        {
            await app.DispatchAsync();
            app.Clock.Advance(TimeSpan.FromHours(2));
        }

        var dead = Assert.Single(await app.DeliveriesAsync(webhook.Id));
        Assert.Equal(WebhookDeliveryStatus.Dead, dead.Status);
        Assert.Equal(WebhooksApp.MaxAttempts, dead.DeliveryAttempts.Count);
        Assert.All(dead.DeliveryAttempts, attempt => { Assert.Null(attempt.StatusCode); Assert.False(attempt.Succeeded); Assert.NotNull(attempt.Error); });

        // The endpoint is back; the administrator sends the delivery again from the webhook's page.
        await using var receiver = await WebhookReceiver.StartAsync(port);
        var admin = await app.AdministratorWithConfirmedPasswordAsync();
        var page = await admin.GetStringAsync($"/umbraco/webhooks/{webhook.Id}");
        Assert.Contains("Dead", page);
        var resent = await admin.SubmitAsync($"/umbraco/webhooks/{webhook.Id}", new(), "form[action*='handler=SendAgain']");
        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        Assert.Contains("done=resent", resent.Headers.Location?.OriginalString);
        await app.DispatchAsync();

        var delivered = Assert.Single(await app.DeliveriesAsync(webhook.Id));
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivered.Status);
        Assert.Equal(WebhooksApp.MaxAttempts + 1, delivered.DeliveryAttempts.Count);
        Assert.True(WebhooksApp.SignatureVerifies(Assert.Single(receiver.Received), secret));
        var shown = Html.Parse(await admin.GetStringAsync($"/umbraco/webhooks/{webhook.Id}"));
        Assert.Contains("HTTP 200", shown.Body!.TextContent);
        Assert.Contains("no answer", shown.Body.TextContent);
        var audited = await app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().AuditEntries.AsNoTracking()
            .AnyAsync(entry => entry.Action == WebhookAudit.DeliveryResent && entry.EntityId == webhook.Id.ToString()));
        Assert.True(audited, "Send again is in the audit log.");
    }

    [Fact]
    public async Task AnEventTheWebhookDoesNotSubscribeToIsNotQueuedNorIsAnythingForADisabledWebhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (contentOnly, _) = await app.AddWebhookAsync(receiver.Url, WebhookEventTypes.ContentPublished);
        var (disabled, _) = await app.AddWebhookAsync(receiver.Url, WebhookEventTypes.BookingCreated);
        await app.WithScopeAsync(async services =>
        {
            var administration = services.GetRequiredService<WebhookAdministration>();
            Assert.True(await administration.UpdateAsync(disabled.Id, new(disabled.Name, disabled.Url, [WebhookEventTypes.BookingCreated], Enabled: false), default));
        });

        await app.BookAsync($"unsubscribed.{Guid.NewGuid():N}@example.com");
        await app.DispatchAsync();

        Assert.Empty(await app.DeliveriesAsync(contentOnly.Id));
        Assert.Empty(await app.DeliveriesAsync(disabled.Id));
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task PublishingSendsContentPublishedWithTheItemsRouteAndUnpublishingSendsContentUnpublished()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (webhook, secret) = await app.AddWebhookAsync(receiver.Url, WebhookEventTypes.ContentPublished, WebhookEventTypes.ContentUnpublished);

        await app.WithContentAsync(content => content.PublishAsync(TalhaKey, "webhook test"));
        await app.DispatchAsync();
        // One dispatch per change: deliveries of one batch are posted side by side, in no set order.
        await app.WithContentAsync(async content =>
        {
            await content.UnpublishAsync(TalhaKey, "webhook test");
            return true;
        });
        await app.DispatchAsync();
        await app.WithContentAsync(content => content.PublishAsync(TalhaKey, "webhook test"));
        await app.DispatchAsync();

        var events = receiver.Received.Select(post => (Post: post, Json: JsonDocument.Parse(post.Body).RootElement)).ToList();
        Assert.Equal([WebhookEventTypes.ContentPublished, WebhookEventTypes.ContentUnpublished, WebhookEventTypes.ContentPublished],
            events.Select(e => e.Json.GetProperty("type").GetString()).ToList());
        Assert.All(events, e =>
        {
            Assert.True(WebhooksApp.SignatureVerifies(e.Post, secret));
            var data = e.Json.GetProperty("data");
            Assert.Equal(TalhaKey, data.GetProperty("id").GetGuid());
            Assert.Equal("expertProfile", data.GetProperty("contentType").GetString());
            Assert.Equal("/team/talha", data.GetProperty("route").GetString());
        });
        Assert.Equal(3, (await app.DeliveriesAsync(webhook.Id)).Count(d => d.Status == WebhookDeliveryStatus.Delivered));
    }

    [Fact]
    public async Task MovingAndCancellingABookingSendBookingMovedAndBookingCancelled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await app.AddWebhookAsync(receiver.Url, WebhookEventTypes.BookingMoved, WebhookEventTypes.BookingCancelled);
        var booking = await app.BookAsync($"moved.{Guid.NewGuid():N}@example.com");

        var newStart = await app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            var stored = await services.GetRequiredService<PortfolioDbContext>().Bookings.SingleAsync(b => b.Id == booking.Id);
            var expert = (await bookings.FindExpertAsync("talha", default))!;
            var free = await bookings.FreeSlotsAsync(expert, booking.StartUtc.Date.AddDays(1), 14, default);
            Assert.IsType<BookingResult.Moved>(await bookings.MoveByOwnerAsync(stored, free[0].StartUtc, default));
            // One dispatch per change: deliveries of one batch are posted side by side, in no set order.
            await app.DispatchAsync();
            Assert.IsType<BookingResult.Cancelled>(await bookings.CancelAsync(stored, byOwner: true, default));
            return free[0].StartUtc;
        });
        await app.DispatchAsync();

        var events = receiver.Received.Select(post => JsonDocument.Parse(post.Body).RootElement).ToList();
        Assert.Equal([WebhookEventTypes.BookingMoved, WebhookEventTypes.BookingCancelled], events.Select(e => e.GetProperty("type").GetString()).ToList());
        var moved = events[0].GetProperty("data");
        Assert.Equal(booking.Id, moved.GetProperty("id").GetGuid());
        Assert.Equal(newStart, moved.GetProperty("start").GetDateTime().ToUniversalTime());
        Assert.Equal(booking.StartUtc, moved.GetProperty("previousStart").GetDateTime().ToUniversalTime());
        Assert.Equal("cancelled", events[1].GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AContactMessageSendsMessageReceivedButOneHeldAsSpamDoesNot()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (webhook, _) = await app.AddWebhookAsync(receiver.Url, WebhookEventTypes.MessageReceived);
        var client = app.CreateClient();

        var message = ApiCalls.ContactMessage();
        var accepted = await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(message));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var spam = ApiCalls.ContactMessage();
        spam["message"] = "Cheap links: https://a.example https://b.example https://c.example https://d.example https://e.example";
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(spam))).StatusCode);
        await app.DispatchAsync();

        var received = JsonDocument.Parse(Assert.Single(receiver.Received).Body).RootElement;
        Assert.Equal(WebhookEventTypes.MessageReceived, received.GetProperty("type").GetString());
        Assert.Equal(id, received.GetProperty("data").GetProperty("id").GetGuid());
        Assert.DoesNotContain(message["email"]!.GetValue<string>(), receiver.Received.Single().Body);
        Assert.Single(await app.DeliveriesAsync(webhook.Id));
    }

    [Fact]
    public async Task FinishedDeliveriesAreDeletedWithTheirAttemptsAfterThirtyDaysAndWaitingOnesAreKept()
    {
        var start = app.Clock.GetUtcNow();
        try
        {
            await using var up = await WebhookReceiver.StartAsync();
            await using var down = await WebhookReceiver.StartAsync();
            for (var i = 0; i < 10; i++)
            {
                down.Answers.Enqueue(503);
            }

            var (delivered, _) = await app.AddWebhookAsync(up.Url, WebhookEventTypes.BookingCreated);
            var (waiting, _) = await app.AddWebhookAsync(down.Url, WebhookEventTypes.BookingCreated);
            await app.BookAsync($"aged.{Guid.NewGuid():N}@example.com");
            await app.DispatchAsync();
            var old = Assert.Single(await app.DeliveriesAsync(delivered.Id));
            Assert.Equal(WebhookDeliveryStatus.Delivered, old.Status);
            Assert.Equal(WebhookDeliveryStatus.Pending, Assert.Single(await app.DeliveriesAsync(waiting.Id)).Status);

            app.Clock.Advance(TimeSpan.FromDays(31));
            await app.BookAsync($"recent.{Guid.NewGuid():N}@example.com");
            await app.DispatchAsync(); // The new booking's delivery to the live endpoint (the old one to the dead one fails again).
            await app.WithScopeAsync(services => services.GetRequiredService<Portfolio.Web.Privacy.RetentionService>().ApplyAsync(default));

            var recent = Assert.Single(await app.DeliveriesAsync(delivered.Id));
            Assert.NotEqual(old.Id, recent.Id);
            Assert.Equal(WebhookDeliveryStatus.Delivered, recent.Status);
            Assert.All(await app.DeliveriesAsync(waiting.Id), delivery => Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status));
            Assert.Equal(2, (await app.DeliveriesAsync(waiting.Id)).Count);
            var orphans = await app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().WebhookDeliveryAttempts
                .CountAsync(attempt => attempt.DeliveryId == old.Id));
            Assert.Equal(0, orphans);
        }
        finally
        {
            app.Clock.Set(start);
        }
    }

    [Fact]
    public async Task TheWebhookPagesAskAnAdministratorForThePasswordAgainAndAnAddWithoutItAddsNothing()
    {
        var (admin, _) = await app.SignedInAsync(BackofficeRoles.Administrator);
        var webhookPage = $"/umbraco/webhooks/{Guid.NewGuid()}";
        var token = await admin.AntiforgeryTokenAsync();
        var name = $"Thief {Guid.NewGuid():N}"[..16];

        var list = await admin.GetAsync("/umbraco/webhooks");
        var detail = await admin.GetAsync(webhookPage);
        var add = await admin.PostFormAsync("/umbraco/webhooks", [new("__RequestVerificationToken", token), new("Name", name),
            new("Url", "https://example.com/hook"), new("Events", WebhookEventTypes.BookingCreated), new("Enabled", "true")]);

        Assert.Equal("/umbraco/confirm-password?returnUrl=%2Fumbraco%2Fwebhooks", list.Headers.Location?.PathAndQuery());
        Assert.Equal($"/umbraco/confirm-password?returnUrl={Uri.EscapeDataString(webhookPage)}", detail.Headers.Location?.PathAndQuery());
        // A post comes back to the list (its form data is not replayed), and nothing was added.
        Assert.Equal("/umbraco/confirm-password?returnUrl=%2Fumbraco%2Fwebhooks", add.Headers.Location?.PathAndQuery());
        Assert.False(await app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().Webhooks.AnyAsync(webhook => webhook.Name == name)));

        var confirmed = await admin.SubmitAsync("/umbraco/confirm-password?returnUrl=%2Fumbraco%2Fwebhooks", new() { ["Password"] = BackofficeApp.Password });
        Assert.Equal("/umbraco/webhooks", confirmed.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/umbraco/webhooks")).StatusCode);
    }

    [Fact]
    public async Task AnEditorCannotOpenOrPostToTheWebhooksPage()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var token = await editor.AntiforgeryTokenAsync();

        var page = await editor.GetAsync("/umbraco/webhooks");
        var post = await editor.PostFormAsync("/umbraco/webhooks", [new("__RequestVerificationToken", token), new("Name", "x"), new("Url", "https://example.com"),
            new("Events", WebhookEventTypes.BookingCreated)]);

        Assert.True(IsAccessDenied(page), $"GET answered {(int)page.StatusCode} {page.Headers.Location}.");
        Assert.True(IsAccessDenied(post), $"POST answered {(int)post.StatusCode} {post.Headers.Location}.");
        Assert.DoesNotContain("/umbraco/webhooks", await editor.GetStringAsync("/umbraco"));
    }

    private static bool IsAccessDenied(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden ||
        (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/umbraco/access-denied", StringComparison.Ordinal) == true);
}
