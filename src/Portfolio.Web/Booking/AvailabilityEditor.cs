using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Content;
using Portfolio.Web.Data;

namespace Portfolio.Web.Booking;

/// <summary>An expert's availability as the owner edits it, with the content facts that decide how it is saved.</summary>
public sealed record ExpertAvailability(
    Guid Key, string Slug, string Name, int Revision, bool IsPublished, bool HasUnpublishedChanges, Availability Availability);

/// <summary>What saving availability did.</summary>
public abstract record AvailabilitySaveResult
{
    /// <summary>Saved as a new version; <paramref name="Published"/> says whether it is in effect (a never-published profile is only saved).</summary>
    public sealed record Saved(int VersionNumber, bool Published) : AvailabilitySaveResult;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : AvailabilitySaveResult;

    /// <summary>Someone changed the profile since the form was opened.</summary>
    public sealed record Stale : AvailabilitySaveResult;

    public sealed record NotFound : AvailabilitySaveResult;
}

/// <summary>
/// Edits the availability part of an expert's profile through the content engine, so the change has a version,
/// an author and a history like any other edit, and publishes it so the public slots follow at once.
/// </summary>
/// <remarks>
/// A booking's <see cref="ConsultationBooking.ExpertDay"/> (the day the daily cap counts it in) is not recomputed when
/// the expert's time zone changes here: it stays the day it was booked for. Accepted because it only shifts which day
/// an existing booking counts in, by at most one day, for the bookings already made; the cap is checked again for every
/// new booking and every move (which recomputes the day), and the slots' own count (<see cref="SlotCalculator.Free"/>)
/// uses the current zone. Recomputing in this transaction could refuse the save (a day over its cap after the shift).
/// The change is applied to the <em>published</em> profile, so an editor's unpublished draft of the rest of the
/// profile is not published with it. When such a draft exists, it is saved again on top with the new availability,
/// so the editor's work stays the latest version and publishing it later keeps the new availability.
/// </remarks>
public sealed class AvailabilityEditor(PortfolioDbContext db, ContentService content, PublishedContentCache cache, AuditLog audit)
{
    private static readonly string ExpertAlias = DocumentTypeRegistry.Of<ExpertProfile>().Alias;

    public async Task<IReadOnlyList<ContentSummary>> ExpertsAsync(CancellationToken cancellationToken) =>
        await content.ListAsync(ExpertAlias, cancellationToken);

    /// <summary>The availability in effect (the published one), or the draft's for a profile never published.</summary>
    public async Task<ExpertAvailability?> LoadAsync(string? slug, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(slug))
        {
            return null;
        }

        var item = await content.FindItemAsync(ExpertAlias, slug!, cancellationToken);
        if (item is null)
        {
            return null;
        }

        var version = item.PublishedVersionNumber ?? item.LatestVersionNumber;
        var profile = (ExpertProfile)await content.GetVersionDocumentAsync(item.Id, version, cancellationToken);
        return new ExpertAvailability(item.Id, item.Slug, item.Name, item.Revision, item.PublishedVersionNumber is not null,
            item.PublishedVersionNumber != item.LatestVersionNumber, profile.Availability);
    }

    public async Task<AvailabilitySaveResult> SaveAsync(Guid key, Availability availability, int expectedRevision, string author,
        CancellationToken cancellationToken)
    {
        // On SQLite the transaction holds the write queue from its start (SqliteWriteGateInterceptor), so its first read
        // and its writes see the same rows.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var item = await content.FindItemAsync(key, ExpertAlias, cancellationToken);
        if (item is null)
        {
            return new AvailabilitySaveResult.NotFound();
        }

        if (item.Revision != expectedRevision)
        {
            return new AvailabilitySaveResult.Stale();
        }

        var latest = (ExpertProfile)await content.GetVersionDocumentAsync(key, item.LatestVersionNumber, cancellationToken);
        var errors = Validate(latest, availability);
        if (errors.Count > 0)
        {
            return new AvailabilitySaveResult.Invalid(errors);
        }

        try
        {
            int versionNumber;
            var published = item.PublishedVersionNumber is not null;
            if (published)
            {
                var inEffect = (ExpertProfile)await content.GetVersionDocumentAsync(key, item.PublishedVersionNumber!.Value, cancellationToken);
                var saved = await content.SaveDraftAsync(key, inEffect with { Availability = availability }, item.PublishedSlug!, author,
                    expectedRevision, cancellationToken);
                var publishedDraft = await content.PublishAsync(key, author, saved.LatestVersionNumber, saved.Revision, cancellationToken);
                versionNumber = saved.LatestVersionNumber;
                if (item.LatestVersionNumber != item.PublishedVersionNumber)
                {
                    // Keep the editor's unpublished draft on top, now with the new availability.
                    await content.SaveDraftAsync(key, latest with { Availability = availability }, item.Slug, author,
                        publishedDraft.Revision, cancellationToken);
                }
            }
            else
            {
                var saved = await content.SaveDraftAsync(key, latest with { Availability = availability }, item.Slug, author,
                    expectedRevision, cancellationToken);
                versionNumber = saved.LatestVersionNumber;
            }

            audit.Add(OwnerAudit.AvailabilityChanged, ExpertAlias, key.ToString(), versionNumber,
                published ? "Saved and published" : "Saved (the profile is not published)");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            // PublishAsync invalidated the cache inside the transaction, when a rebuild could still read the old rows.
            await cache.InvalidateAsync(cancellationToken);
            return new AvailabilitySaveResult.Saved(versionNumber, published);
        }
        catch (ContentConcurrencyException)
        {
            return new AvailabilitySaveResult.Stale();
        }
        catch (DocumentValidationException exception)
        {
            // Another part of the profile is invalid (older content, stricter rules since): say so rather than fail.
            return new AvailabilitySaveResult.Invalid(exception.Errors);
        }
    }

    /// <summary>The expert's confirmed bookings on each day of [first, last] in their time zone, for the calendar.</summary>
    public async Task<Dictionary<DateOnly, int>> BookingsPerDayAsync(Guid key, TimeZoneInfo zone, DateOnly first, DateOnly last,
        CancellationToken cancellationToken)
    {
        // A day either side in UTC covers every offset; the local day is worked out per booking.
        var fromUtc = DateTime.SpecifyKind(first.AddDays(-1).ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc);
        var toUtc = DateTime.SpecifyKind(last.AddDays(2).ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc);
        var starts = await db.Bookings.AsNoTracking()
            .Where(booking => booking.ExpertKey == key && booking.Status == BookingStatus.Confirmed && booking.StartUtc >= fromUtc && booking.StartUtc < toUtc)
            .Select(booking => booking.StartUtc)
            .ToListAsync(cancellationToken);
        return starts.Select(start => SlotCalculator.LocalDate(start, zone))
            .Where(day => day >= first && day <= last)
            .GroupBy(day => day)
            .ToDictionary(group => group.Key, group => group.Count());
    }

    /// <summary>
    /// The rules of <see cref="Availability"/> itself, keyed by its own property paths (<c>Windows[0].End</c>).
    /// Data annotations stop before the record's own checks when a range is wrong; those run here as well, so the
    /// owner sees every problem at once rather than one round at a time.
    /// </summary>
    internal static Dictionary<string, string[]> Validate(ExpertProfile profile, Availability availability)
    {
        var prefix = nameof(ExpertProfile.Availability) + ".";
        var errors = DocumentValidator.Validate(profile with { Availability = availability })
            .Where(error => error.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(error => error.Key[prefix.Length..], error => error.Value.ToList(), StringComparer.Ordinal);
        foreach (var result in availability.Validate(new ValidationContext(availability)))
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                var list = errors.TryGetValue(member, out var existing) ? existing : errors[member] = [];
                if (result.ErrorMessage is { } message && !list.Contains(message))
                {
                    list.Add(message);
                }
            }
        }

        return errors.ToDictionary(error => error.Key, error => error.Value.ToArray(), StringComparer.Ordinal);
    }
}
