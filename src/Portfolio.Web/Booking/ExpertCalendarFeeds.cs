using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portfolio.Web.Content;
using Portfolio.Web.Data;

namespace Portfolio.Web.Booking;

/// <summary>
/// An expert's private calendar feed, <c>/bookings/calendar/{token}</c>: whoever has the link reads the expert's
/// bookings (names, e-mail addresses, topics), so it is a bearer secret like a manage link. Only the token's SHA-256 is
/// stored; the owner sees the link once, when it is made, and can replace it (the old link stops working) or remove it.
/// </summary>
public sealed class ExpertCalendarFeed
{
    /// <summary>The expert's content item: one feed per expert.</summary>
    public Guid ExpertKey { get; set; }
    public string TokenHash { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
}

internal sealed class ExpertCalendarFeedConfiguration : IEntityTypeConfiguration<ExpertCalendarFeed>
{
    public void Configure(EntityTypeBuilder<ExpertCalendarFeed> builder)
    {
        builder.ToTable("ExpertCalendarFeeds");
        builder.HasKey(feed => feed.ExpertKey);
        builder.Property(feed => feed.TokenHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(feed => feed.TokenHash).IsUnique();
        // Deleting an expert's content item removes its feed: nobody could read it any more anyway.
        builder.HasOne<ContentItem>().WithMany().HasForeignKey(feed => feed.ExpertKey).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The feeds' rows: made, replaced and removed by the owner, looked up by a token's hash, and what a feed lists.</summary>
public sealed class ExpertCalendarFeeds(PortfolioDbContext db, TimeProvider clock, AuditLog audit)
{
    public const string PathPrefix = "/bookings/calendar/";

    /// <summary>How far back a feed lists bookings: recent meetings stay in the calendar for a while, older ones drop out.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(30);

    /// <summary>Whether the expert has a feed, and since when.</summary>
    public async Task<DateTime?> CreatedAsync(Guid expertKey, CancellationToken cancellationToken) =>
        (await db.ExpertCalendarFeeds.AsNoTracking().SingleOrDefaultAsync(feed => feed.ExpertKey == expertKey, cancellationToken))?.CreatedUtc;

    /// <summary>Makes the expert's feed, or replaces its token (the old link stops working); returns the new token, shown once.</summary>
    public async Task<string> CreateOrRotateAsync(Guid expertKey, CancellationToken cancellationToken)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var feed = await db.ExpertCalendarFeeds.SingleOrDefaultAsync(row => row.ExpertKey == expertKey, cancellationToken);
        var rotated = feed is not null;
        if (feed is null)
        {
            feed = new ExpertCalendarFeed { ExpertKey = expertKey };
            db.ExpertCalendarFeeds.Add(feed);
        }

        feed.TokenHash = BookingService.HashToken(token);
        feed.CreatedUtc = clock.GetUtcNow().UtcDateTime;
        audit.Add(OwnerAudit.CalendarFeedChanged, "expertProfile", expertKey.ToString(), null, rotated ? "Calendar feed link replaced" : "Calendar feed link made");
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>Removes the expert's feed; its link answers 404 from now on. False when there was none.</summary>
    public async Task<bool> RevokeAsync(Guid expertKey, CancellationToken cancellationToken)
    {
        var feed = await db.ExpertCalendarFeeds.SingleOrDefaultAsync(row => row.ExpertKey == expertKey, cancellationToken);
        if (feed is null)
        {
            return false;
        }

        db.ExpertCalendarFeeds.Remove(feed);
        audit.Add(OwnerAudit.CalendarFeedChanged, "expertProfile", expertKey.ToString(), null, "Calendar feed link removed");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The expert whose feed the token opens, or null (a wrong, replaced or removed token).</summary>
    public async Task<Guid?> ExpertOfAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = BookingService.HashToken(token);
        var feed = await db.ExpertCalendarFeeds.AsNoTracking().SingleOrDefaultAsync(row => row.TokenHash == hash, cancellationToken);
        return feed?.ExpertKey;
    }

    /// <summary>The expert's confirmed bookings from <see cref="History"/> ago on, soonest first.</summary>
    public Task<List<ConsultationBooking>> BookingsAsync(Guid expertKey, CancellationToken cancellationToken)
    {
        var from = clock.GetUtcNow().UtcDateTime - History;
        return db.Bookings.AsNoTracking()
            .Where(booking => booking.ExpertKey == expertKey && booking.Status == BookingStatus.Confirmed && booking.EndUtc >= from)
            .OrderBy(booking => booking.StartUtc)
            .ToListAsync(cancellationToken);
    }
}

/// <summary><c>GET /bookings/calendar/{token}</c>: an expert's bookings as a calendar to subscribe to.</summary>
public static class ExpertCalendarFeedEndpoint
{
    public static WebApplication MapExpertCalendarFeed(this WebApplication app)
    {
        app.MapGet(ExpertCalendarFeeds.PathPrefix + "{token:maxlength(100):regex(^[A-Za-z0-9_-]+$)}", ServeAsync)
            .ExcludeFromDescription()
            .RequireRateLimiting(Infrastructure.RateLimitingExtensions.Reads);
        return app;
    }

    private static async Task<IResult> ServeAsync(string token, ExpertCalendarFeeds feeds, BookingService bookings, PublishedContentCache content,
        HttpContext context, CancellationToken cancellationToken)
    {
        // Personal data behind a secret: no shared cache or browser history keeps it, no search engine lists it, no link
        // followed from an event's description tells anyone the address.
        var headers = context.Response.Headers;
        headers.CacheControl = "private, no-store";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers["Referrer-Policy"] = "no-referrer";
        if (await feeds.ExpertOfAsync(token, cancellationToken) is not { } expertKey)
        {
            return Results.NotFound();
        }

        var snapshot = await content.GetAsync(cancellationToken);
        var item = snapshot.List<ExpertProfile>().FirstOrDefault(candidate => candidate.Key == expertKey);
        var rows = await feeds.BookingsAsync(expertKey, cancellationToken);
        // An expert no longer published keeps a feed of the bookings made while they were.
        var expert = item?.Document as ExpertProfile ?? new ExpertProfile { Name = rows.FirstOrDefault()?.ExpertSlug ?? "Expert" };
        var calendar = CalendarInvitation.Feed($"{expert.Name}: consultations", rows.Select(booking => bookings.FeedEvent(booking, expert)));
        return Results.Text(calendar, "text/calendar; charset=utf-8");
    }
}
