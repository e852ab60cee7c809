using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portfolio.Web.Content;

namespace Portfolio.Web.Booking;

public enum BookingStatus
{
    /// <summary>0 is written into PostgreSQL's exclusion constraint and <c>BookingService</c>'s busy-time query.</summary>
    Confirmed = 0,
    Cancelled = 1,
}

/// <summary>What happened at a meeting that took place, as the owner records it.</summary>
public enum BookingOutcome
{
    /// <summary>Not marked (yet).</summary>
    None = 0,
    Completed = 1,
    NoShow = 2,
}

/// <summary>
/// A consultation booked with an expert. Two confirmed bookings of one expert can never overlap: the
/// database enforces it (PostgreSQL: an exclusion constraint over the time range; SQLite: triggers),
/// whatever the expert's slot length or buffer is changed to later.
/// </summary>
public sealed class ConsultationBooking
{
    /// <summary>
    /// No booking lasts longer (slots are at most 240 minutes, see <see cref="Availability.SlotMinutes"/>), and the
    /// database holds every row to it (PostgreSQL: CK_Bookings_MaxLength; SQLite: triggers). So a booking that starts
    /// more than this before a time range cannot reach into it, and a lookup of the bookings around a time (SQLite's
    /// overlap triggers, <see cref="BookingService"/>'s busy times) reads a short range of the (ExpertKey, StartUtc)
    /// index instead of every earlier booking of the expert.
    /// </summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(1);

    public const int ReasonMaxLength = 500;
    public const int OwnerNoteMaxLength = 2000;

    public Guid Id { get; set; }
    /// <summary>The expert's content item.</summary>
    public Guid ExpertKey { get; set; }
    public string ExpertSlug { get; set; } = "";
    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }
    public BookingStatus Status { get; set; }
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public string? Company { get; set; }
    public string Topic { get; set; } = "";
    public string? Notes { get; set; }
    /// <summary>The client's IANA time zone, to show times as they see them.</summary>
    public string ClientTimeZone { get; set; } = "";
    /// <summary>SHA-256 of the manage link's token; the token itself is only ever in the client's mail.</summary>
    public string ManageTokenHash { get; set; } = "";
    /// <summary>iCalendar SEQUENCE: bumped on every change that updates the client's invitation.</summary>
    public int Sequence { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public DateTime? CancelledUtc { get; set; }
    /// <summary>
    /// Where the meeting takes place, fixed when it is booked (see <see cref="MeetingPlaces"/>): <see cref="MeetingLocationKind.VideoRoom"/>
    /// (also for a link made per booking), <see cref="MeetingLocationKind.Phone"/>, <see cref="MeetingLocationKind.Address"/> or
    /// <see cref="MeetingLocationKind.None"/>.
    /// </summary>
    public MeetingLocationKind LocationKind { get; set; }
    /// <summary>The room's link, the phone number or the address; null without a place.</summary>
    public string? LocationValue { get; set; }
    /// <summary>Optimistic concurrency for cancel and reschedule.</summary>
    public int Revision { get; set; }

    /// <summary>
    /// When the booking got its current time (booked, or last moved). A reminder whose due time lies before this is
    /// never sent: the client chose the time already inside the reminder's window (<see cref="BookingReminderService"/>).
    /// </summary>
    public DateTime ScheduledUtc { get; set; }

    /// <summary>The client's reason for cancelling, if they gave one; shown to the owner.</summary>
    public string? CancellationReason { get; set; }

    /// <summary>The client's reason for their last move to another time, if they gave one; shown to the owner.</summary>
    public string? RescheduleReason { get; set; }

    /// <summary>How the meeting went, as the owner marked it after it ended.</summary>
    public BookingOutcome Outcome { get; set; }

    /// <summary>The owner's private note: shown only in the backoffice, never to the client, never in any mail.</summary>
    public string? OwnerNote { get; set; }

    /// <summary>
    /// The date the booking starts on in the expert's time zone (the day the expert's <see cref="Availability.MaxPerDay"/>
    /// counts it in), computed by the app when it books or moves. Null only for a booking stored before the column
    /// existed and not yet backfilled (<see cref="BookingStore.BackfillExpertDaysAsync"/>); such a booking is not counted.
    /// </summary>
    public DateOnly? ExpertDay { get; set; }

    /// <summary>
    /// The expert's limit of bookings a day when this booking was made or last moved. The database refuses the booking
    /// when its <see cref="ExpertDay"/> would hold more confirmed bookings than this (see <see cref="BookingDay"/>).
    /// Null for a backfilled booking: it was already there, so it is counted but never refused.
    /// </summary>
    public int? MaxPerDay { get; set; }

    /// <summary>The slug of the booking type (<see cref="Content.BookingType"/>); null for a booking made before types existed.</summary>
    public string? BookingType { get; set; }

    /// <summary>
    /// The visitor's answers to the type's questions, as JSON (<see cref="BookingAnswers"/>): each with the question's
    /// label as it was asked, so the owner reads them right after the questions change. Null when none were asked.
    /// </summary>
    public string? Answers { get; set; }
}

/// <summary>
/// How many confirmed bookings an expert has on a day of their own time zone: the row the database locks and counts in
/// to hold <see cref="ConsultationBooking.MaxPerDay"/>. Only the database writes it, from triggers on the bookings
/// (PostgreSQL: one PL/pgSQL function; SQLite: triggers), so every insert, move, cancellation or deletion keeps it right,
/// whoever makes it. On PostgreSQL two bookings of one day take turns on this row (the upsert locks it), so the count
/// each sees includes the other's; SQLite has one writer at a time anyway.
/// </summary>
public sealed class BookingDay
{
    public Guid ExpertKey { get; set; }
    public DateOnly Day { get; set; }
    public int Confirmed { get; set; }
}

/// <summary>
/// The answer given to a POST with an <c>Idempotency-Key</c>: the same key and body get the same
/// answer again and never a second booking. Written in the booking's own transaction.
/// </summary>
public sealed class IdempotentRequest
{
    public string Key { get; set; } = "";
    public string Scope { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public int StatusCode { get; set; }
    public string ResponseJson { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
}

internal sealed class BookingConfiguration : IEntityTypeConfiguration<ConsultationBooking>
{
    public void Configure(EntityTypeBuilder<ConsultationBooking> builder)
    {
        builder.ToTable("Bookings", table =>
        {
            table.HasCheckConstraint("CK_Bookings_Range", "\"EndUtc\" > \"StartUtc\"");
            table.HasCheckConstraint("CK_Bookings_Status", "\"Status\" IN (0, 1)");
        });
        builder.HasKey(booking => booking.Id);
        builder.Property(booking => booking.ExpertSlug).HasMaxLength(200).IsRequired();
        builder.Property(booking => booking.Name).HasMaxLength(100).IsRequired();
        builder.Property(booking => booking.Email).HasMaxLength(254).IsRequired();
        builder.Property(booking => booking.Company).HasMaxLength(100);
        builder.Property(booking => booking.Topic).HasMaxLength(150).IsRequired();
        builder.Property(booking => booking.Notes).HasMaxLength(2000);
        builder.Property(booking => booking.ClientTimeZone).HasMaxLength(64).IsRequired();
        builder.Property(booking => booking.ManageTokenHash).HasMaxLength(64).IsRequired();
        builder.Property(booking => booking.LocationValue).HasMaxLength(500);
        builder.Property(booking => booking.BookingType).HasMaxLength(60);
        builder.Property(booking => booking.Revision).IsConcurrencyToken();
        builder.Property(booking => booking.CancellationReason).HasMaxLength(ConsultationBooking.ReasonMaxLength);
        builder.Property(booking => booking.RescheduleReason).HasMaxLength(ConsultationBooking.ReasonMaxLength);
        builder.Property(booking => booking.OwnerNote).HasMaxLength(ConsultationBooking.OwnerNoteMaxLength);
        // The reminder job asks for the bookings starting within its longest offset.
        builder.HasIndex(booking => booking.StartUtc);
        builder.HasIndex(booking => booking.ManageTokenHash).IsUnique();
        builder.HasIndex(booking => new { booking.ExpertKey, booking.StartUtc });
        builder.HasIndex(booking => booking.Email);
        builder.HasOne<ContentItem>().WithMany().HasForeignKey(booking => booking.ExpertKey).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BookingDayConfiguration : IEntityTypeConfiguration<BookingDay>
{
    public void Configure(EntityTypeBuilder<BookingDay> builder)
    {
        builder.ToTable("BookingDays", table => table.HasCheckConstraint("CK_BookingDays_Confirmed", "\"Confirmed\" >= 0"));
        builder.HasKey(day => new { day.ExpertKey, day.Day });
    }
}

internal sealed class IdempotentRequestConfiguration : IEntityTypeConfiguration<IdempotentRequest>
{
    public void Configure(EntityTypeBuilder<IdempotentRequest> builder)
    {
        builder.ToTable("IdempotentRequests");
        builder.HasKey(request => new { request.Scope, request.Key });
        builder.Property(request => request.Key).HasMaxLength(100);
        builder.Property(request => request.Scope).HasMaxLength(40);
        builder.Property(request => request.RequestHash).HasMaxLength(64).IsRequired();
        builder.Property(request => request.ResponseJson).IsRequired();
        builder.HasIndex(request => request.CreatedUtc);
    }
}
