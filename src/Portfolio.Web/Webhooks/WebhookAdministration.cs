using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Web.Webhooks;

/// <summary>The audited actions of the webhooks page (kept beside the feature, as <see cref="OwnerAudit"/> is).</summary>
public static class WebhookAudit
{
    public const string Created = "WebhookCreated";
    public const string Changed = "WebhookChanged";
    public const string SecretRenewed = "WebhookSecretRenewed";
    public const string Deleted = "WebhookDeleted";
    public const string DeliveryResent = "WebhookDeliveryResent";

    public const string Webhook = "Webhook";
}

/// <summary>What the administrator typed for a webhook.</summary>
public sealed record WebhookSettings(string? Name, string? Url, IReadOnlyCollection<string> Events, bool Enabled);

/// <summary>A webhook as its page shows it, with a page of its newest deliveries and their attempts.</summary>
public sealed record WebhookOverview(Webhook Webhook, IReadOnlyList<WebhookDelivery> Deliveries);

/// <summary>
/// The backoffice's operations on webhooks: list, create (the secret is returned once), change, new secret, delete,
/// and "send again". Each change is in the audit log, committed with it.
/// </summary>
public sealed class WebhookAdministration(PortfolioDbContext db, WebhookSecrets secrets, WebhookAddressPolicy policy, WebhookOutbox outbox,
    AuditLog audit, TimeProvider clock)
{
    public const int DeliveriesShown = 50;

    public async Task<IReadOnlyList<(Webhook Webhook, int Dead, DateTime? LastDeliveredUtc)>> ListAsync(CancellationToken cancellationToken)
    {
        var webhooks = await db.Set<Webhook>().AsNoTracking().OrderBy(w => w.Name).ToListAsync(cancellationToken);
        var figures = await db.Set<WebhookDelivery>().AsNoTracking()
            .GroupBy(d => d.WebhookId)
            .Select(g => new
            {
                g.Key,
                Dead = g.Count(d => d.Status == WebhookDeliveryStatus.Dead),
                Last = g.Max(d => d.DeliveredUtc),
            })
            .ToDictionaryAsync(f => f.Key, cancellationToken);
        return webhooks.Select(w => (w, figures.TryGetValue(w.Id, out var f) ? f.Dead : 0, figures.TryGetValue(w.Id, out var g) ? g.Last : null)).ToList();
    }

    public async Task<WebhookOverview?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var webhook = await db.Set<Webhook>().AsNoTracking().SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (webhook is null)
        {
            return null;
        }

        var deliveries = await db.Set<WebhookDelivery>().AsNoTracking().Include(d => d.DeliveryAttempts)
            .Where(d => d.WebhookId == id).OrderByDescending(d => d.Id).Take(DeliveriesShown)
            .ToListAsync(cancellationToken);
        foreach (var delivery in deliveries)
        {
            delivery.DeliveryAttempts = [.. delivery.DeliveryAttempts.OrderBy(a => a.Number)];
        }

        return new WebhookOverview(webhook, deliveries);
    }

    /// <summary>Field errors of the settings (keys: Name, Url, Events), empty when they are fine.</summary>
    public Dictionary<string, string> Validate(WebhookSettings settings)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var name = TextInput.CleanOptional(settings.Name);
        if (name is null)
        {
            errors["Name"] = "Give the webhook a name, e.g. the system it feeds.";
        }
        else if (name.Length > Webhook.NameMaxLength)
        {
            errors["Name"] = $"Keep the name to {Webhook.NameMaxLength} characters.";
        }

        if (policy.Problem(settings.Url) is { } problem)
        {
            errors["Url"] = problem;
        }

        if (settings.Events.Count == 0)
        {
            errors["Events"] = "Choose at least one event.";
        }
        else if (settings.Events.FirstOrDefault(e => !WebhookEventTypes.IsKnown(e)) is { } unknown)
        {
            errors["Events"] = $"There is no event {unknown}.";
        }

        return errors;
    }

    /// <summary>Creates the webhook; returns it with its secret, which is shown once and never again.</summary>
    public async Task<(Webhook Webhook, string Secret)> CreateAsync(WebhookSettings settings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = WebhookSecrets.NewSecret();
        var webhook = new Webhook
        {
            Id = Guid.CreateVersion7(),
            ProtectedSecret = secrets.Protect(secret),
            CreatedUtc = now,
        };
        Apply(webhook, settings, now);
        db.Set<Webhook>().Add(webhook);
        audit.Add(WebhookAudit.Created, WebhookAudit.Webhook, webhook.Id.ToString(), details: Describe(webhook));
        await db.SaveChangesAsync(cancellationToken);
        return (webhook, secret);
    }

    public async Task<bool> UpdateAsync(Guid id, WebhookSettings settings, CancellationToken cancellationToken)
    {
        var webhook = await db.Set<Webhook>().SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (webhook is null)
        {
            return false;
        }

        Apply(webhook, settings, clock.GetUtcNow().UtcDateTime);
        audit.Add(WebhookAudit.Changed, WebhookAudit.Webhook, id.ToString(), details: Describe(webhook));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Replaces the secret (the old one stops signing at once); returns the new one, shown once.</summary>
    public async Task<string?> RenewSecretAsync(Guid id, CancellationToken cancellationToken)
    {
        var webhook = await db.Set<Webhook>().SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (webhook is null)
        {
            return null;
        }

        var secret = WebhookSecrets.NewSecret();
        webhook.ProtectedSecret = secrets.Protect(secret);
        webhook.UpdatedUtc = clock.GetUtcNow().UtcDateTime;
        audit.Add(WebhookAudit.SecretRenewed, WebhookAudit.Webhook, id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    /// <summary>Deletes the webhook with its deliveries and their attempts.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var webhook = await db.Set<Webhook>().SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (webhook is null)
        {
            return false;
        }

        db.Set<Webhook>().Remove(webhook);
        audit.Add(WebhookAudit.Deleted, WebhookAudit.Webhook, id.ToString(), details: Describe(webhook));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Sends a delivered or dead delivery again now (the same body and <c>webhook-id</c>), unless it is waiting or being
    /// posted already. It gets one more attempt; a failure leaves it dead again with that attempt recorded.
    /// </summary>
    public async Task<bool> SendAgainAsync(Guid webhookId, long deliveryId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var delivery = await db.Set<WebhookDelivery>().SingleOrDefaultAsync(d => d.Id == deliveryId && d.WebhookId == webhookId, cancellationToken);
        if (delivery is null || delivery.Status == WebhookDeliveryStatus.Pending || delivery.LockedUntilUtc > now)
        {
            return false;
        }

        audit.Add(WebhookAudit.DeliveryResent, WebhookAudit.Webhook, webhookId.ToString(),
            details: string.Create(CultureInfo.InvariantCulture, $"{delivery.EventType} {delivery.EventId}, was {delivery.Status} after {delivery.Attempts} attempt(s)"));
        delivery.Status = WebhookDeliveryStatus.Pending;
        delivery.NextAttemptUtc = now;
        delivery.LockedUntilUtc = null;
        delivery.LockedBy = null;
        await db.SaveChangesAsync(cancellationToken);
        outbox.Wake();
        return true;
    }

    private static void Apply(Webhook webhook, WebhookSettings settings, DateTime now)
    {
        webhook.Name = TextInput.CleanOptional(settings.Name) ?? "";
        webhook.Url = settings.Url!.Trim();
        webhook.Events = Webhook.JoinEvents(settings.Events);
        webhook.Enabled = settings.Enabled;
        webhook.UpdatedUtc = now;
    }

    private static string Describe(Webhook webhook) =>
        $"{webhook.Name}: {webhook.Url} ({string.Join(", ", webhook.EventList)}){(webhook.Enabled ? "" : ", disabled")}";
}
