using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Web.Booking;

/// <summary>What the owner sees of an expert's calendar feed: never the URL itself.</summary>
public sealed record BusyFeedStatus(
    string UrlHint, DateTime? FetchedUtc, string? LastError, DateTime? FailingSinceUtc, int IntervalCount, DateTime NextFetchUtc)
{
    /// <summary>The busy times in use come from an older copy: the latest fetches failed.</summary>
    public bool IsStale => LastError is not null;
}

/// <summary>
/// The calendar feeds' rows: the secret URL (encrypted), the fetch state, and the last good copy's busy times. Claims a
/// due feed with a conditional UPDATE (a lease), so that of several instances exactly one fetches it.
/// </summary>
public sealed class BusyCalendarStore(PortfolioDbContext db, IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Portfolio.Booking.BusyCalendarUrl");

    /// <summary>
    /// The busy times of the expert's calendar that overlap [from, to). Every booking and every list of free times asks
    /// this, so it is read as the bookings' busy times are (<see cref="BookingStore.BusyAsync"/>): raw SQL through EF's
    /// command. As a LINQ query it was a tenth of the app's CPU per booking on SQLite (perf, 2026-12-07), more than
    /// the bookings' own lookup.
    /// </summary>
    public Task<List<BusyRange>> IntervalsAsync(Guid expertKey, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken) =>
        db.QueryRowsAsync($"""
            SELECT "StartUtc", "EndUtc" FROM "ExpertBusyIntervals"
            WHERE "ExpertKey" = {expertKey} AND "StartUtc" < {toUtc} AND "EndUtc" > {fromUtc}
            """, row => new BusyRange(AsUtc(row.GetDateTime(0)), AsUtc(row.GetDateTime(1))), cancellationToken);

    private static DateTime AsUtc(DateTime stored) => DateTime.SpecifyKind(stored, DateTimeKind.Utc);

    public async Task<BusyFeedStatus?> StatusAsync(Guid expertKey, CancellationToken cancellationToken) =>
        await db.ExpertBusyFeeds.AsNoTracking().Where(feed => feed.ExpertKey == expertKey)
            .Select(feed => new BusyFeedStatus(feed.UrlHint, feed.FetchedUtc, feed.LastError, feed.FailingSinceUtc, feed.IntervalCount, feed.NextFetchUtc))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Stores a new URL for the expert, encrypted; a new URL starts afresh (no validators) and is due now.</summary>
    public async Task SetUrlAsync(Guid expertKey, Uri url, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var feed = await db.ExpertBusyFeeds.SingleOrDefaultAsync(row => row.ExpertKey == expertKey, cancellationToken);
        if (feed is null)
        {
            feed = new ExpertBusyFeed { ExpertKey = expertKey };
            db.ExpertBusyFeeds.Add(feed);
        }

        else
        {
            // Another calendar: the old one's busy times are not this one's.
            await db.ExpertBusyIntervals.Where(interval => interval.ExpertKey == expertKey).ExecuteDeleteAsync(cancellationToken);
        }

        feed.ProtectedUrl = _protector.Protect(url.AbsoluteUri);
        feed.FetchedUtc = null;
        feed.ParsedUtc = null;
        feed.IntervalCount = 0;
        feed.UrlHint = Hint(url);
        feed.ETag = null;
        feed.LastModified = null;
        feed.LastError = null;
        feed.FailingSinceUtc = null;
        feed.NextFetchUtc = nowUtc;
        feed.LeaseUntilUtc = null;
        feed.UpdatedUtc = nowUtc;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Forgets the expert's feed and its busy times.</summary>
    public Task RemoveAsync(Guid expertKey, CancellationToken cancellationToken) =>
        db.ExpertBusyFeeds.Where(feed => feed.ExpertKey == expertKey).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Scheme and host: enough for the owner to recognise the calendar, nothing of its secret path or query.</summary>
    public static string Hint(Uri url) => $"{url.Scheme}://{url.Host}/…";

    /// <summary>The feeds due at <paramref name="nowUtc"/> that no other instance is fetching.</summary>
    public Task<List<Guid>> DueAsync(DateTime nowUtc, CancellationToken cancellationToken) =>
        db.ExpertBusyFeeds.AsNoTracking()
            .Where(feed => feed.NextFetchUtc <= nowUtc && (feed.LeaseUntilUtc == null || feed.LeaseUntilUtc < nowUtc))
            .OrderBy(feed => feed.NextFetchUtc)
            .Select(feed => feed.ExpertKey)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Takes the feed for <paramref name="leaseUntilUtc"/> if it is still due and unclaimed: one UPDATE whose condition
    /// repeats the question, so of several instances asking at once exactly one changes the row (PostgreSQL re-checks
    /// the condition after the row lock; SQLite runs one writer at a time).
    /// </summary>
    public async Task<bool> TryClaimAsync(Guid expertKey, DateTime nowUtc, DateTime leaseUntilUtc, CancellationToken cancellationToken) =>
        await db.ExpertBusyFeeds
            .Where(feed => feed.ExpertKey == expertKey && feed.NextFetchUtc <= nowUtc && (feed.LeaseUntilUtc == null || feed.LeaseUntilUtc < nowUtc))
            .ExecuteUpdateAsync(set => set.SetProperty(feed => feed.LeaseUntilUtc, leaseUntilUtc), cancellationToken) == 1;

    /// <summary>The claimed feed's row and its URL in clear (null when the key ring no longer opens it).</summary>
    public async Task<(ExpertBusyFeed Feed, Uri? Url)?> LoadAsync(Guid expertKey, CancellationToken cancellationToken)
    {
        var feed = await db.ExpertBusyFeeds.SingleOrDefaultAsync(row => row.ExpertKey == expertKey, cancellationToken);
        if (feed is null)
        {
            return null;
        }

        try
        {
            return (feed, new Uri(_protector.Unprotect(feed.ProtectedUrl)));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return (feed, null);
        }
    }

    /// <summary>Replaces the busy times with a new good copy's and records the fetch, in one transaction.</summary>
    public async Task SaveCopyAsync(ExpertBusyFeed feed, IReadOnlyList<BusyRange> intervals, DateTime nowUtc, DateTime nextUtc, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.ExpertBusyIntervals.Where(interval => interval.ExpertKey == feed.ExpertKey).ExecuteDeleteAsync(cancellationToken);
        db.ExpertBusyIntervals.AddRange(intervals.Select(range => new ExpertBusyInterval { ExpertKey = feed.ExpertKey, StartUtc = range.StartUtc, EndUtc = range.EndUtc }));
        feed.FetchedUtc = nowUtc;
        feed.ParsedUtc = nowUtc;
        feed.IntervalCount = intervals.Count;
        Done(feed, error: null, nowUtc, nextUtc);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A 304: the stored copy is still the calendar's.</summary>
    public Task SaveNotModifiedAsync(ExpertBusyFeed feed, DateTime nowUtc, DateTime nextUtc, CancellationToken cancellationToken)
    {
        feed.FetchedUtc = nowUtc;
        Done(feed, error: null, nowUtc, nextUtc);
        return db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A failed fetch: the stored busy times stay in use; the error is kept for the owner.</summary>
    public Task SaveFailureAsync(ExpertBusyFeed feed, string error, DateTime nowUtc, DateTime nextUtc, CancellationToken cancellationToken)
    {
        Done(feed, error, nowUtc, nextUtc);
        return db.SaveChangesAsync(cancellationToken);
    }

    private static void Done(ExpertBusyFeed feed, string? error, DateTime nowUtc, DateTime nextUtc)
    {
        feed.LastError = error is null ? null : error.Length > 500 ? error[..500] : error;
        feed.FailingSinceUtc = error is null ? null : feed.FailingSinceUtc ?? nowUtc;
        feed.NextFetchUtc = nextUtc;
        feed.LeaseUntilUtc = null;
        feed.UpdatedUtc = nowUtc;
    }
}
