using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Content;
using Portfolio.Web.Data;

namespace Portfolio.Web.Booking;

/// <summary>A booking as the owner's lists show it, with the expert's name.</summary>
public sealed record BookingLine(
    Guid Id, string ExpertName, string ExpertSlug, DateTime StartUtc, DateTime EndUtc, BookingStatus Status,
    string Name, string Email, string? Company, string Topic);

/// <summary>One day of the week view, in the zone the owner looks from.</summary>
public sealed record CalendarDay(DateOnly Date, IReadOnlyList<BookingLine> Bookings);

/// <summary>A week (Monday to Sunday) of bookings in a time zone.</summary>
public sealed record CalendarWeek(DateOnly Monday, TimeZoneInfo Zone, IReadOnlyList<CalendarDay> Days)
{
    public DateOnly Previous => Monday.AddDays(-7);

    public DateOnly Next => Monday.AddDays(7);
}

/// <summary>The outcome of the owner's cancel: done, or why not.</summary>
public sealed record OwnerCancelResult(bool Succeeded, string? Error);

/// <summary>
/// Bookings for the owner: upcoming and past lists, a week calendar in any time zone, one booking, and
/// cancelling through <see cref="BookingService"/> (which queues the client's CANCEL invitation).
/// </summary>
public sealed class OwnerBookings(PortfolioDbContext db, BookingService bookings, ContentService content, AuditLog audit, TimeProvider clock)
{
    public const int PageSize = 25;

    /// <summary>
    /// Upcoming (not yet ended, soonest first) or past (ended, latest first). Cancelled bookings stay in their
    /// list, marked, so the owner can see what happened.
    /// </summary>
    public async Task<PagedList<BookingLine>> ListAsync(bool upcoming, int page, CancellationToken cancellationToken)
    {
        var now = Now;
        var query = db.Bookings.AsNoTracking().Where(booking => upcoming ? booking.EndUtc > now : booking.EndUtc <= now);
        var total = await query.CountAsync(cancellationToken);
        var ordered = upcoming
            ? query.OrderBy(booking => booking.StartUtc).ThenBy(booking => booking.Id)
            : query.OrderByDescending(booking => booking.StartUtc).ThenByDescending(booking => booking.Id);
        var rows = await ordered.Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new PagedList<BookingLine>(await LinesAsync(rows, cancellationToken), page, PageSize, total);
    }

    /// <summary>The Monday-to-Sunday week around <paramref name="anyDay"/>, as seen in <paramref name="zone"/>.</summary>
    public async Task<CalendarWeek> WeekAsync(DateOnly anyDay, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var monday = anyDay.AddDays(-(((int)anyDay.DayOfWeek + 6) % 7));
        var fromUtc = ToUtc(monday, zone);
        var toUtc = ToUtc(monday.AddDays(7), zone);
        var rows = await db.Bookings.AsNoTracking()
            .Where(booking => booking.StartUtc < toUtc && booking.EndUtc > fromUtc)
            .OrderBy(booking => booking.StartUtc).ThenBy(booking => booking.Id)
            .ToListAsync(cancellationToken);
        var lines = await LinesAsync(rows, cancellationToken);
        var days = Enumerable.Range(0, 7)
            .Select(offset => monday.AddDays(offset))
            .Select(day => new CalendarDay(day, lines
                .Where(line => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(line.StartUtc, zone)) == day)
                .ToList()))
            .ToList();
        return new CalendarWeek(monday, zone, days);
    }

    public async Task<(ConsultationBooking Booking, string ExpertName)?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (booking is null)
        {
            return null;
        }

        var names = await ExpertNamesAsync(cancellationToken);
        return (booking, names.GetValueOrDefault(booking.ExpertKey, booking.ExpertSlug));
    }

    /// <summary>
    /// Cancels as the owner (no minimum notice applies): the client gets a CANCEL invitation, the owner a note,
    /// and the audit entry commits in the same transaction as the cancellation.
    /// </summary>
    public async Task<OwnerCancelResult> CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (booking is null)
        {
            return new OwnerCancelResult(false, "This booking no longer exists.");
        }

        if (booking.Status == BookingStatus.Cancelled)
        {
            return new OwnerCancelResult(false, "This booking is already cancelled.");
        }

        if (booking.EndUtc <= Now)
        {
            return new OwnerCancelResult(false, "This meeting is over; there is nothing to cancel.");
        }

        audit.Add(OwnerAudit.BookingCancelled, OwnerAudit.Booking, id.ToString(), details: $"{booking.ExpertSlug} at {booking.StartUtc:O}");
        return await bookings.CancelAsync(booking, byOwner: true, cancellationToken) switch
        {
            BookingResult.Cancelled => new OwnerCancelResult(true, null),
            // The client cancelled or moved it at the same moment; nothing was saved.
            BookingResult.Changed => new OwnerCancelResult(false, "The booking changed while you were looking at it. Please check it again."),
            _ => new OwnerCancelResult(false, "The booking could not be cancelled."),
        };
    }

    /// <summary>Experts by content key, published or not (a booking outlives a profile's renames).</summary>
    public async Task<Dictionary<Guid, string>> ExpertNamesAsync(CancellationToken cancellationToken) =>
        (await content.ListAsync(DocumentTypeRegistry.Of<ExpertProfile>().Alias, cancellationToken))
            .ToDictionary(item => item.Key, item => item.Name);

    private async Task<List<BookingLine>> LinesAsync(List<ConsultationBooking> rows, CancellationToken cancellationToken)
    {
        var names = rows.Count == 0 ? [] : await ExpertNamesAsync(cancellationToken);
        return rows.Select(booking => new BookingLine(booking.Id, names.GetValueOrDefault(booking.ExpertKey, booking.ExpertSlug), booking.ExpertSlug,
            booking.StartUtc, booking.EndUtc, booking.Status, booking.Name, booking.Email, booking.Company, booking.Topic)).ToList();
    }

    /// <summary>Local midnight of a day in a zone, in UTC (a midnight skipped by daylight saving moves to the next valid time).</summary>
    internal static DateTime ToUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
