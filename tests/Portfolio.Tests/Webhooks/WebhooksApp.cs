using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Backoffice;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;
using Portfolio.Web.Webhooks;

namespace Portfolio.Tests.Webhooks;

/// <summary>
/// The backoffice app for the webhook tests. The webhook dispatcher does not run on its own: the tests post the queue by
/// hand (<see cref="DispatchAsync"/>) and move the clock past the backoff, so each attempt happens when they say. Three
/// attempts before a delivery is dead. The mail dispatcher is off (no SMTP here).
/// </summary>
public sealed class WebhooksApp : BackofficeApp
{
    public const int MaxAttempts = 3;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        .. base.Settings,
        new("Email:Dispatcher:Enabled", "false"),
        new("Retention:Enabled", "false"),
        new("Webhooks:Enabled", "false"),
        new("Webhooks:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Webhooks:Timeout", "00:00:05"),
    ];

    /// <summary>Posts one batch of due deliveries as the background dispatcher would; returns how many it claimed.</summary>
    public Task<int> DispatchAsync() => Services.GetRequiredService<WebhookDispatcher>().DispatchDueAsync(default);

    /// <summary>A webhook made as the backoffice page makes it; returns it with its secret.</summary>
    public Task<(Webhook Webhook, string Secret)> AddWebhookAsync(string url, params string[] events) =>
        WithScopeAsync(services => services.GetRequiredService<WebhookAdministration>()
            .CreateAsync(new WebhookSettings($"Test {Guid.NewGuid():N}"[..20], url, events, Enabled: true), default));

    /// <summary>The webhook's deliveries, oldest first, each with its attempts in order.</summary>
    public Task<List<WebhookDelivery>> DeliveriesAsync(Guid webhookId) =>
        WithScopeAsync(async services =>
        {
            var deliveries = await services.GetRequiredService<PortfolioDbContext>().WebhookDeliveries.AsNoTracking()
                .Include(d => d.DeliveryAttempts).Where(d => d.WebhookId == webhookId).OrderBy(d => d.Id).ToListAsync();
            deliveries.ForEach(d => d.DeliveryAttempts = [.. d.DeliveryAttempts.OrderBy(a => a.Number)]);
            return deliveries;
        });

    private static int _bookings;

    /// <summary>Books a free slot of Talha's through the real booking service (each call a later one).</summary>
    public Task<ConsultationBooking> BookAsync(string email) =>
        WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            var expert = (await bookings.FindExpertAsync("talha", default))!;
            var slots = await bookings.FreeSlotsAsync(expert, Clock.GetUtcNow().UtcDateTime.Date.AddDays(2), 28, default);
            var result = await bookings.BookAsync(
                new BookingRequest("talha", slots[Interlocked.Increment(ref _bookings) % slots.Count].StartUtc, "Grace Hopper", email, "Navy Labs",
                    "Database scaling review", "We run PostgreSQL 15.", "Europe/Berlin"),
                "https://localhost", null, default);
            return Assert.IsType<BookingResult.Created>(result).Booking;
        });

    /// <summary>
    /// Checks a delivery's signature as a receiver would, written from the Standard Webhooks spec (not with the app's
    /// code): HMAC-SHA256, keyed with the secret's Base64 part, over <c>{id}.{timestamp}.{body}</c>, sent as <c>v1,{base64}</c>.
    /// </summary>
    public static bool SignatureVerifies(ReceivedWebhook received, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{received.Id}.{received.Timestamp}.{received.Body}")));
        return received.Signature.Split(' ').Any(signature => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(expected)));
    }
}
