using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Booking;
using Portfolio.Web.Contact;
using Portfolio.Web.Content;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Web.Backoffice;

/// <summary>Content at a glance: counts by state, and what the scheduler will do next.</summary>
public sealed record ContentFacts(
    int Items, int Published, int WithUnpublishedChanges, int NeverPublished,
    IReadOnlyList<(string ContentType, int Count)> ByType, IReadOnlyList<ContentSummary> Scheduled);

/// <summary>
/// The owner's side at a glance. <c>PendingMails</c> are waiting for their first attempt, <c>FailedMails</c> failed at least
/// once and wait for the next, <c>DeadMails</c> failed for good.
/// </summary>
public sealed record BusinessFacts(int NewMessages, int SuspectedSpam, int UpcomingBookings, DateTime? NextBookingUtc,
    int PendingMails, int DeadMails, int FailedMails = 0);

/// <summary>Users at a glance, for administrators.</summary>
public sealed record UserFacts(int Users, int LockedOut, int WithoutTwoFactor, int NeverSignedIn);

/// <summary>
/// The facts the dashboard shows, computed now from the real data. Each part is computed only for users
/// whose role may see it (the page asks for the parts it shows).
/// </summary>
public sealed class BackofficeDashboard(ContentService content, PortfolioDbContext db, TimeProvider clock)
{
    public async Task<ContentFacts> ContentAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<ContentSummary>();
        var byType = new List<(string, int)>();
        foreach (var alias in DocumentTypeRegistry.ByAlias.Keys.Order(StringComparer.Ordinal))
        {
            var items = await content.ListAsync(alias, cancellationToken);
            all.AddRange(items);
            if (items.Count > 0)
            {
                byType.Add((alias, items.Count));
            }
        }

        var scheduled = all.Where(item => item.PublishAtUtc is not null || item.UnpublishAtUtc is not null)
            .OrderBy(item => new[] { item.PublishAtUtc, item.UnpublishAtUtc }.Where(time => time is not null).Min())
            .ToList();
        return new ContentFacts(all.Count, all.Count(item => item.IsPublished),
            all.Count(item => item.IsPublished && item.HasUnpublishedChanges), all.Count(item => !item.IsPublished),
            byType, scheduled);
    }

    public async Task<BusinessFacts> BusinessAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var newMessages = await db.ContactMessages.CountAsync(message => message.Status == ContactMessageStatus.New, cancellationToken);
        var spam = await db.ContactMessages.CountAsync(message => message.Status == ContactMessageStatus.Spam, cancellationToken);
        var upcoming = db.Bookings.Where(booking => booking.Status == BookingStatus.Confirmed && booking.StartUtc >= now);
        var upcomingCount = await upcoming.CountAsync(cancellationToken);
        var next = await upcoming.OrderBy(booking => booking.StartUtc).Select(booking => (DateTime?)booking.StartUtc)
            .FirstOrDefaultAsync(cancellationToken);
        var pending = await db.EmailOutbox.CountAsync(mail => mail.Status == EmailStatus.Pending, cancellationToken);
        var failed = await db.EmailOutbox.CountAsync(mail => mail.Status == EmailStatus.Pending && mail.Attempts > 0, cancellationToken);
        var dead = await db.EmailOutbox.CountAsync(mail => mail.Status == EmailStatus.Dead, cancellationToken);
        return new BusinessFacts(newMessages, spam, upcomingCount, next, pending - failed, dead, failed);
    }

    public async Task<UserFacts> UsersAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        // LockoutEnd is a DateTimeOffset, which SQLite cannot compare in SQL: count the few users in memory.
        var users = await db.Users.AsNoTracking()
            .Select(user => new { user.LockoutEnd, user.TwoFactorEnabled, user.LastSignInUtc })
            .ToListAsync(cancellationToken);
        return new UserFacts(users.Count, users.Count(user => user.LockoutEnd > now), users.Count(user => !user.TwoFactorEnabled),
            users.Count(user => user.LastSignInUtc is null));
    }
}
