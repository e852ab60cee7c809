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

/// <summary>The outcome of one of the owner's changes to a booking (move, new time asked, outcome and note): done, or why not.</summary>
public sealed record OwnerActionResult(bool Succeeded, string? Error)
{
    public static OwnerActionResult Done { get; } = new(true, null);

    public static OwnerActionResult Failed(string error) => new(false, error);
}

/// <summary>
/// Bookings for the owner: upcoming and past lists, a week calendar in any time zone, one booking; cancelling, moving
/// and asking the client for a new time through <see cref="BookingService"/> (which queues the client's mails), each
/// audited; and the outcome of a meeting with the owner's private note.
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

    /// <summary>
    /// The backoffice search: bookings whose client (name, address, company), topic or expert (name or slug) holds the
    /// term, or, when the term is a date (2026-12-24), that start on that day in <paramref name="zone"/>; latest first.
    /// </summary>
    public async Task<IReadOnlyList<BookingLine>> SearchAsync(string term, TimeZoneInfo zone, int limit, CancellationToken cancellationToken)
    {
        var lower = term.ToLowerInvariant();
        var experts = (await ExpertNamesAsync(cancellationToken))
            .Where(expert => expert.Value.Contains(term, StringComparison.OrdinalIgnoreCase)).Select(expert => expert.Key).ToList();
        var query = db.Bookings.AsNoTracking().Where(booking =>
            booking.Name.ToLower().Contains(lower) || booking.Email.ToLower().Contains(lower)
            || (booking.Company != null && booking.Company.ToLower().Contains(lower)) || booking.Topic.ToLower().Contains(lower)
            || booking.ExpertSlug.Contains(lower) || experts.Contains(booking.ExpertKey));
        if (DateOnly.TryParseExact(term, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
        {
            var (from, to) = (ToUtc(day, zone), ToUtc(day.AddDays(1), zone));
            query = db.Bookings.AsNoTracking().Where(booking => booking.StartUtc >= from && booking.StartUtc < to);
        }

        var rows = await query.OrderByDescending(booking => booking.StartUtc).ThenBy(booking => booking.Id).Take(limit).ToListAsync(cancellationToken);
        return await LinesAsync(rows, cancellationToken);
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

    /// <summary>
    /// The day (in <paramref name="zone"/>) of the next confirmed booking that has not ended, or null when none is ahead:
    /// the week calendar opens on its week rather than on an empty current one.
    /// </summary>
    public async Task<DateOnly?> NextBookingDayAsync(TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var now = Now;
        var next = await db.Bookings.AsNoTracking()
            .Where(booking => booking.Status == BookingStatus.Confirmed && booking.EndUtc > now)
            .OrderBy(booking => booking.StartUtc)
            .Select(booking => (DateTime?)booking.StartUtc)
            .FirstOrDefaultAsync(cancellationToken);
        return next is { } start ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(start, DateTimeKind.Utc), zone)) : null;
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

    /// <summary>Until when before a meeting the client may change it online (and so be asked to choose a new time).</summary>
    public TimeSpan ChangeMinimumNotice => bookings.ChangeMinimumNotice;

    /// <summary>How far ahead the owner's move form offers the expert's free times.</summary>
    public const int MoveDays = 28;

    /// <summary>The expert's free times the owner may move the booking to (its own time aside), from today on.</summary>
    public async Task<List<Slot>> MoveSlotsAsync(ConsultationBooking booking, CancellationToken cancellationToken)
    {
        var expert = await bookings.FindExpertAsync(booking.ExpertSlug, cancellationToken);
        return expert is null ? [] : await bookings.FreeSlotsAsync(expert, Now.Date, MoveDays, cancellationToken, movingBooking: booking);
    }

    /// <summary>
    /// Moves a booking that has not started to another of the expert's free times (the client's minimum notice does not
    /// apply to the owner): the client gets the updated invitation, same UID, higher SEQUENCE; the audit entry commits
    /// with the move.
    /// </summary>
    public async Task<OwnerActionResult> MoveAsync(Guid id, DateTime? newStart, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (booking is null)
        {
            return OwnerActionResult.Failed("This booking no longer exists.");
        }

        if (booking.Status == BookingStatus.Cancelled)
        {
            return OwnerActionResult.Failed("This booking is cancelled; it cannot be moved.");
        }

        if (booking.StartUtc <= Now)
        {
            return OwnerActionResult.Failed("This meeting has started or is over; it can no longer be moved.");
        }

        var entry = audit.Add(OwnerAudit.BookingMoved, OwnerAudit.Booking, id.ToString(),
            details: $"{booking.ExpertSlug} from {booking.StartUtc:O} to {newStart:O}");
        return Audited(entry, await bookings.MoveByOwnerAsync(booking, newStart, cancellationToken) switch
        {
            BookingResult.Moved => OwnerActionResult.Done,
            BookingResult.Changed => OwnerActionResult.Failed(ChangedMeanwhile),
            BookingResult.Invalid invalid => OwnerActionResult.Failed(string.Join(" ", invalid.Errors.Values.SelectMany(errors => errors))),
            BookingResult.Taken taken => OwnerActionResult.Failed(taken.Reason),
            _ => OwnerActionResult.Failed("The booking could not be moved."),
        });
    }

    /// <summary>
    /// Mails the client a fresh manage link to choose a new time themselves, with the owner's optional message. The
    /// earlier link stops working (only the new token's hash is kept); the audit log records that a link was issued.
    /// </summary>
    public async Task<OwnerActionResult> RequestNewTimeAsync(Guid id, string siteBaseUrl, string? message, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (booking is null)
        {
            return OwnerActionResult.Failed("This booking no longer exists.");
        }

        if (booking.Status == BookingStatus.Cancelled)
        {
            return OwnerActionResult.Failed("This booking is cancelled.");
        }

        var entry = audit.Add(OwnerAudit.BookingNewTimeRequested, OwnerAudit.Booking, id.ToString(),
            details: "A new manage link was mailed to the client; the earlier one no longer works.");
        return Audited(entry, await bookings.RequestNewTimeAsync(booking, siteBaseUrl, message, cancellationToken) switch
        {
            BookingResult.NewTimeRequested => OwnerActionResult.Done,
            BookingResult.Changed => OwnerActionResult.Failed(ChangedMeanwhile),
            BookingResult.Invalid invalid => OwnerActionResult.Failed(string.Join(" ", invalid.Errors.Values.SelectMany(errors => errors))),
            _ => OwnerActionResult.Failed("The mail could not be queued."),
        });
    }

    /// <summary>
    /// Records how a meeting went (only once it is over, never for a cancelled one) and the owner's private note. Written
    /// without touching the booking's revision: a note is no reason for a client's concurrent change to fail.
    /// </summary>
    public async Task<OwnerActionResult> SaveOutcomeAsync(Guid id, BookingOutcome outcome, string? note, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (booking is null)
        {
            return OwnerActionResult.Failed("This booking no longer exists.");
        }

        if (!Enum.IsDefined(outcome))
        {
            return OwnerActionResult.Failed("Choose how the meeting went.");
        }

        if (outcome != BookingOutcome.None && booking.Status == BookingStatus.Cancelled)
        {
            return OwnerActionResult.Failed("A cancelled booking has no outcome.");
        }

        if (outcome != BookingOutcome.None && booking.EndUtc > Now)
        {
            return OwnerActionResult.Failed("Mark how the meeting went once it is over.");
        }

        var cleanNote = TextInput.CleanOptional(note, multiline: true);
        if (cleanNote is { Length: > ConsultationBooking.OwnerNoteMaxLength })
        {
            return OwnerActionResult.Failed($"Keep the note to {ConsultationBooking.OwnerNoteMaxLength} characters.");
        }

        await db.Bookings.Where(b => b.Id == id)
            .ExecuteUpdateAsync(update => update.SetProperty(b => b.Outcome, outcome).SetProperty(b => b.OwnerNote, cleanNote), cancellationToken);
        if (outcome != booking.Outcome || cleanNote != booking.OwnerNote)
        {
            // The note's text stays out of the log: it is the owner's private word about a person.
            await audit.RecordAsync(OwnerAudit.BookingOutcomeRecorded, OwnerAudit.Booking, id.ToString(),
                details: $"Outcome: {outcome}{(cleanNote != booking.OwnerNote ? "; private note changed" : "")}", cancellationToken: cancellationToken);
        }

        return OwnerActionResult.Done;
    }

    private const string ChangedMeanwhile = "The booking changed while you were looking at it. Please check it again.";

    /// <summary>A staged audit entry is kept only when its change was made: one that failed leaves no trace to be saved later.</summary>
    private OwnerActionResult Audited(AuditEntry entry, OwnerActionResult result)
    {
        if (!result.Succeeded)
        {
            db.Entry(entry).State = EntityState.Detached;
        }

        return result;
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
