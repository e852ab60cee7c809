using System.Security.Cryptography;
using System.Text;

namespace Portfolio.Web.Shared;

/// <summary>
/// The audited actions and entity types of the owner's pages. Kept beside the owner's code rather than in
/// <see cref="AuditActions"/> so the owner's feature stays in one folder; the audit log treats them alike.
/// </summary>
public static class OwnerAudit
{
    public const string MessageMarked = "MessageMarked";
    public const string MessageNotSpam = "MessageNotSpam";
    public const string MessageDeleted = "MessageDeleted";
    public const string BookingCancelled = "BookingCancelled";
    public const string BookingMoved = "BookingMoved";
    /// <summary>The client was mailed a fresh manage link (the earlier one stopped working) to choose a new time.</summary>
    public const string BookingNewTimeRequested = "BookingNewTimeRequested";
    public const string BookingOutcomeRecorded = "BookingOutcomeRecorded";
    public const string AvailabilityChanged = "AvailabilityChanged";
    public const string CalendarFeedChanged = "CalendarFeedChanged";
    public const string MailRetried = "MailRetried";
    public const string RetentionApplied = "RetentionApplied";
    public const string PersonalDataErased = "PersonalDataErased";

    public const string ContactMessage = "ContactMessage";
    public const string Booking = "Booking";
    public const string Mail = "Mail";
    public const string Retention = "Retention";
    /// <summary>A person known only by the hash of their e-mail address (see <see cref="HashEmail"/>).</summary>
    public const string Person = "Person";

    /// <summary>
    /// SHA-256 of the trimmed, lower-cased address: the audit log can show that a person's data was erased (and
    /// the same address gives the same hash if they ask again) without keeping the address it was asked to forget.
    /// </summary>
    public static string HashEmail(string email) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()))).ToLowerInvariant();
}
