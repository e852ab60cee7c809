using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portfolio.Web.Webhooks;

/// <summary>An endpoint the site posts events to, set up by an administrator at <c>/umbraco/webhooks</c>.</summary>
public sealed class Webhook
{
    public const int UrlMaxLength = 2000;
    public const int NameMaxLength = 100;

    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    /// <summary>
    /// The subscribed event types, each between commas (<c>,booking.created,content.published,</c>), so that "is it
    /// subscribed" is one <c>LIKE '%,type,%'</c> inside the INSERT that queues an event (<see cref="WebhookOutbox"/>), on
    /// both providers.
    /// </summary>
    public string Events { get; set; } = ",";
    public bool Enabled { get; set; }
    /// <summary>
    /// The signing secret (<c>whsec_…</c>) encrypted with Data Protection: the app must read it back to sign, and a copy
    /// of the database alone must not let anyone forge the site's deliveries.
    /// </summary>
    public string ProtectedSecret { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static string JoinEvents(IEnumerable<string> events) => "," + string.Concat(events.Distinct().Order(StringComparer.Ordinal).Select(e => e + ","));
}

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its first or next attempt (at <see cref="WebhookDelivery.NextAttemptUtc"/>).</summary>
    Pending = 0,
    /// <summary>The endpoint answered 2xx.</summary>
    Delivered = 1,
    /// <summary>Every attempt failed; kept for the administrator to look at and send again.</summary>
    Dead = 2,
}

/// <summary>
/// One event for one webhook: queued in the same transaction as the change that caused it, posted by
/// <see cref="WebhookDispatcher"/>. The body is fixed when it is queued, so every attempt (and "send again") posts the
/// same bytes with the same <c>webhook-id</c>; only the timestamp and the signature are made per attempt.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public Guid WebhookId { get; set; }
    /// <summary>The event's id (<c>evt_…</c>), sent as <c>webhook-id</c>: receivers use it to drop duplicates.</summary>
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";
    public string Payload { get; set; } = "";
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime NextAttemptUtc { get; set; }
    public DateTime? LockedUntilUtc { get; set; }
    public string? LockedBy { get; set; }
    public DateTime? DeliveredUtc { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public List<WebhookDeliveryAttempt> DeliveryAttempts { get; set; } = [];
}

/// <summary>One POST of a delivery and what came of it.</summary>
public sealed class WebhookDeliveryAttempt
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public int Number { get; set; }
    public DateTime StartedUtc { get; set; }
    public double DurationMs { get; set; }
    /// <summary>The endpoint's answer, or null when none came (refused connection, timeout, refused address).</summary>
    public int? StatusCode { get; set; }
    public bool Succeeded { get; set; }
    public string? Error { get; set; }
}

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.ToTable("Webhooks");
        builder.HasKey(webhook => webhook.Id);
        builder.Property(webhook => webhook.Name).HasMaxLength(Webhook.NameMaxLength).IsRequired();
        builder.Property(webhook => webhook.Url).HasMaxLength(Webhook.UrlMaxLength).IsRequired();
        builder.Property(webhook => webhook.Events).HasMaxLength(1000).IsRequired();
        builder.Property(webhook => webhook.ProtectedSecret).HasMaxLength(1000).IsRequired();
        builder.Ignore(webhook => webhook.EventList);
        builder.HasMany<WebhookDelivery>().WithOne().HasForeignKey(delivery => delivery.WebhookId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries", table =>
        {
            table.HasCheckConstraint("CK_WebhookDeliveries_Attempts", "\"Attempts\" >= 0");
            table.HasCheckConstraint("CK_WebhookDeliveries_Status", "\"Status\" IN (0, 1, 2)");
        });
        builder.HasKey(delivery => delivery.Id);
        builder.Property(delivery => delivery.EventId).HasMaxLength(60).IsRequired();
        builder.Property(delivery => delivery.EventType).HasMaxLength(60).IsRequired();
        builder.Property(delivery => delivery.Payload).IsRequired();
        builder.Property(delivery => delivery.LockedBy).HasMaxLength(100);
        builder.Property(delivery => delivery.LastError).HasMaxLength(2000);
        builder.HasIndex(delivery => new { delivery.Status, delivery.NextAttemptUtc });
        // The webhook's page lists its newest deliveries.
        builder.HasIndex(delivery => new { delivery.WebhookId, delivery.Id });
        builder.HasMany(delivery => delivery.DeliveryAttempts).WithOne().HasForeignKey(attempt => attempt.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryAttemptConfiguration : IEntityTypeConfiguration<WebhookDeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryAttempt> builder)
    {
        builder.ToTable("WebhookDeliveryAttempts");
        builder.HasKey(attempt => attempt.Id);
        builder.Property(attempt => attempt.Error).HasMaxLength(2000);
        builder.HasIndex(attempt => new { attempt.DeliveryId, attempt.Number }).IsUnique();
    }
}
