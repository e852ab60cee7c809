using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;
using Portfolio.Web.Email;
using Portfolio.Web.Webhooks;

namespace Portfolio.Web.Booking;

/// <summary>How a change to a booking ended in the database.</summary>
public enum BookingSave
{
    Saved,
    /// <summary>Someone changed the booking meanwhile (its Revision moved on); nothing was saved.</summary>
    Changed,
    /// <summary>The database refused the new time (an overlap with another booking); nothing was saved.</summary>
    Taken,
    /// <summary>The database refused the new time: the expert's day already holds their maximum of bookings; nothing was saved.</summary>
    DayFull,
}

/// <summary>
/// The bookings' SQL and its provider differences: the busy times of an expert, a new booking stored with its mails
/// and idempotency record in one command, changes saved against the booking's revision.
/// </summary>
public sealed class BookingStore(PortfolioDbContext db)
{
    /// <summary>
    /// The confirmed bookings of the expert that overlap [from, to), but <paramref name="ignoreBooking"/>. Plain SQL read
    /// straight from the rows (see <see cref="PortfolioDbContext.QueryRowsAsync"/>): every booking and slot list asks.
    /// </summary>
    public Task<List<BusyRange>> BusyAsync(Guid expertKey, DateTime fromUtc, DateTime toUtc, Guid? ignoreBooking, CancellationToken cancellationToken)
    {
        // No booking has the empty id, so it stands for "ignore none" and keeps the parameter typed. "Status" = 0
        // (Confirmed) is written as a literal: a prepared statement's generic plan can use a partial index only then.
        var ignore = ignoreBooking ?? Guid.Empty;
        var query = db is PostgresPortfolioDbContext
            // The question asked of the exclusion constraint's GiST index (expert and time range), with its own range
            // expression and its partial-index condition written out so that any plan can use all of it. Asked with
            // column comparisons, the planner of a table that had grown since its last ANALYZE picked that index for the
            // expert alone and filtered every one of the expert's bookings: 2.5 ms per booking at 8,000, and the
            // database used more CPU than the app.
            ? (FormattableString)$"""
                SELECT "StartUtc", "EndUtc" FROM "Bookings"
                WHERE "ExpertKey" = {expertKey} AND "Status" = 0
                  AND tstzrange("StartUtc", "EndUtc", '[)') && tstzrange({fromUtc}, {toUtc}, '[)') AND "Id" <> {ignore}
                """
            // Bounding the start from below keeps the lookup a short range of the (ExpertKey, StartUtc) index instead of
            // every earlier booking of the expert (about 0.4 ms per lookup at 1,900 bookings, 14 µs bounded).
            : $"""
                SELECT "StartUtc", "EndUtc" FROM "Bookings"
                WHERE "ExpertKey" = {expertKey} AND "Status" = 0
                  AND "StartUtc" >= {fromUtc - ConsultationBooking.MaxLength} AND "StartUtc" < {toUtc} AND "EndUtc" > {fromUtc}
                  AND "Id" <> {ignore}
                """;
        return db.QueryRowsAsync(query, row => new BusyRange(AsStoredUtc(row.GetDateTime(0)), AsStoredUtc(row.GetDateTime(1))), cancellationToken);
    }

    /// <summary>
    /// Stores a new booking, its mails and the idempotency record all or nothing, with plain INSERTs in one command
    /// (<see cref="PortfolioDbContext.ExecuteAtomicallyAsync"/>; EF's SaveChanges was a fifth of a write's CPU and most of
    /// its allocations; the rows are the same). An overlap or a key the database refuses (another request won the race)
    /// returns <see cref="BookingSave.Taken"/>, a day that already holds the expert's maximum <see cref="BookingSave.DayFull"/>;
    /// either way nothing is stored.
    /// </summary>
    public async Task<BookingSave> TryInsertAsync(ConsultationBooking booking, IEnumerable<EmailOutboxMessage> mails, IdempotentRequest? remembered,
        CancellationToken cancellationToken, WebhookEvent? webhookEvent = null)
    {
        List<FormattableString> statements = [Insert(booking), .. mails.Select(mail => OutboxStore.Insert(mail))];
        if (webhookEvent is not null)
        {
            // Its deliveries, one per subscribed webhook, in the same command: a refused booking queues none.
            statements.Add(WebhookOutbox.Insert(webhookEvent));
        }

        if (remembered is not null)
        {
            statements.Add(Insert(remembered));
        }

        try
        {
            await db.ExecuteAtomicallyAsync(statements, cancellationToken);
            return BookingSave.Saved;
        }
        catch (DbException exception) when (DatabaseErrors.IsConflict(exception))
        {
            // Nothing of it was kept.
            return DatabaseErrors.IsExpertDayFull(exception) ? BookingSave.DayFull : BookingSave.Taken;
        }
    }

    /// <summary>
    /// The load of each of <paramref name="expertKeys"/> for the any-expert choice (<see cref="RoundRobin"/>): their confirmed
    /// meetings starting in [from, to), and when their latest confirmed booking was made.
    /// </summary>
    public async Task<Dictionary<Guid, ExpertLoad>> LoadAsync(IReadOnlyList<Guid> expertKeys, DateTime fromUtc, DateTime toUtc,
        CancellationToken cancellationToken)
    {
        var upcoming = await db.Bookings.AsNoTracking()
            .Where(booking => expertKeys.Contains(booking.ExpertKey) && booking.Status == BookingStatus.Confirmed &&
                              booking.StartUtc >= fromUtc && booking.StartUtc < toUtc)
            .GroupBy(booking => booking.ExpertKey)
            .Select(group => new { group.Key, Count = group.Count() })
            .ToDictionaryAsync(row => row.Key, row => row.Count, cancellationToken);
        var latest = new Dictionary<Guid, DateTime>();
        foreach (var key in expertKeys)
        {
            // One short lookup per expert: a service has a handful.
            var created = await db.Bookings.AsNoTracking()
                .Where(booking => booking.ExpertKey == key && booking.Status == BookingStatus.Confirmed)
                .OrderByDescending(booking => booking.CreatedUtc).Select(booking => (DateTime?)booking.CreatedUtc)
                .FirstOrDefaultAsync(cancellationToken);
            if (created is { } value)
            {
                latest[key] = DateTime.SpecifyKind(value, DateTimeKind.Utc);
            }
        }

        return expertKeys.Distinct().ToDictionary(key => key,
            key => new ExpertLoad(upcoming.GetValueOrDefault(key), latest.TryGetValue(key, out var value) ? value : null));
    }

    /// <summary>The booking behind a manage token's hash.</summary>
    public Task<ConsultationBooking?> FindByTokenHashAsync(string hash, CancellationToken cancellationToken) =>
        db.Bookings.SingleOrDefaultAsync(booking => booking.ManageTokenHash == hash, cancellationToken);

    /// <summary>The answer remembered for an <c>Idempotency-Key</c>, if a request with it was answered.</summary>
    public Task<IdempotentRequest?> FindIdempotentAsync(string scope, string key, CancellationToken cancellationToken) =>
        db.IdempotentRequests.AsNoTracking().SingleOrDefaultAsync(request => request.Scope == scope && request.Key == key, cancellationToken);

    /// <summary>
    /// Saves the changes made to a booking read through this store, with the mails they cause. The booking's Revision is
    /// a concurrency token, so a change made meanwhile by someone else is <see cref="BookingSave.Changed"/>; a move onto a
    /// time taken meanwhile is <see cref="BookingSave.Taken"/>, onto a day filled meanwhile <see cref="BookingSave.DayFull"/>. Either way nothing was saved and the change tracker is cleared.
    /// </summary>
    public async Task<BookingSave> SaveChangeAsync(IEnumerable<EmailOutboxMessage> mails, CancellationToken cancellationToken,
        WebhookEvent? webhookEvent = null)
    {
        db.EmailOutbox.AddRange(mails);
        if (webhookEvent is not null)
        {
            await WebhookOutbox.StageAsync(db, webhookEvent, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return BookingSave.Saved;
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsConflict(exception))
        {
            db.ChangeTracker.Clear();
            return exception is DbUpdateConcurrencyException ? BookingSave.Changed
                : DatabaseErrors.IsExpertDayFull(exception) ? BookingSave.DayFull
                : BookingSave.Taken;
        }
    }

    /// <summary>Every column EF maps (<c>StoreInsertTests</c> holds the two together).</summary>
    internal static FormattableString Insert(ConsultationBooking booking) => $"""
        INSERT INTO "Bookings" ("Id", "ExpertKey", "ExpertSlug", "StartUtc", "EndUtc", "Status", "Name", "Email", "Company",
            "Topic", "Notes", "ClientTimeZone", "ManageTokenHash", "Sequence", "CreatedUtc", "UpdatedUtc", "CancelledUtc", "Revision",
            "ExpertDay", "MaxPerDay", "ScheduledUtc", "CancellationReason", "RescheduleReason", "Outcome", "OwnerNote",
            "LocationKind", "LocationValue", "BookingType", "Answers")
        VALUES ({booking.Id}, {booking.ExpertKey}, {booking.ExpertSlug}, {booking.StartUtc}, {booking.EndUtc}, {(int)booking.Status},
            {booking.Name}, {booking.Email}, {booking.Company}, {booking.Topic}, {booking.Notes}, {booking.ClientTimeZone},
            {booking.ManageTokenHash}, {booking.Sequence}, {booking.CreatedUtc}, {booking.UpdatedUtc}, {booking.CancelledUtc}, {booking.Revision},
            {booking.ExpertDay}, {booking.MaxPerDay}, {booking.ScheduledUtc}, {booking.CancellationReason}, {booking.RescheduleReason},
            {(int)booking.Outcome}, {booking.OwnerNote}, {(int)booking.LocationKind}, {booking.LocationValue}, {booking.BookingType},
            {booking.Answers})
        """;

    /// <inheritdoc cref="Insert(ConsultationBooking)"/>
    internal static FormattableString Insert(IdempotentRequest remembered) => $"""
        INSERT INTO "IdempotentRequests" ("Scope", "Key", "RequestHash", "StatusCode", "ResponseJson", "CreatedUtc")
        VALUES ({remembered.Scope}, {remembered.Key}, {remembered.RequestHash}, {remembered.StatusCode}, {remembered.ResponseJson}, {remembered.CreatedUtc})
        """;

    /// <summary>
    /// Gives every booking stored before <see cref="ConsultationBooking.ExpertDay"/> existed its day in the expert's time
    /// zone (<paramref name="zoneOf"/>: the expert's zone, UTC for an expert no longer published), a batch at a time, so
    /// that the database counts it from then on. SQLite has no time-zone rules, so this is the app's work and not the
    /// migration's; it runs at every start and finds nothing to do after the first. The bookings' triggers count each
    /// row as it gets its day; a backfilled row keeps no <see cref="ConsultationBooking.MaxPerDay"/>, so a day that
    /// already held more than today's limit is counted as it is, never refused. Returns how many bookings it gave a day.
    /// </summary>
    public async Task<int> BackfillExpertDaysAsync(Func<Guid, TimeZoneInfo> zoneOf, CancellationToken cancellationToken)
    {
        const int batch = 500;
        var done = 0;
        while (true)
        {
            var rows = await db.Bookings.Where(booking => booking.ExpertDay == null).OrderBy(booking => booking.Id).Take(batch)
                .ToListAsync(cancellationToken);
            foreach (var booking in rows)
            {
                booking.ExpertDay = SlotCalculator.LocalDate(booking.StartUtc, zoneOf(booking.ExpertKey));
            }

            try
            {
                // Only ExpertDay changes; the Revision stays, so a client's open manage page is not told of a change.
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another instance changed one of them meanwhile (it carries a day now, or will be read again).
                db.ChangeTracker.Clear();
                continue;
            }

            db.ChangeTracker.Clear();
            done += rows.Count;
            if (rows.Count < batch)
            {
                return done;
            }
        }
    }

    /// <summary>Times are stored in UTC; SQLite hands them back as "Unspecified" (the model's converter does the same).</summary>
    private static DateTime AsStoredUtc(DateTime stored) => DateTime.SpecifyKind(stored, DateTimeKind.Utc);
}
