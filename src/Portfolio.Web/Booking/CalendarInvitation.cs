using System.Globalization;
using System.Text;

namespace Portfolio.Web.Booking;

/// <summary>What an invitation describes.</summary>
public sealed record InvitationDetails(
    Guid BookingId,
    int Sequence,
    DateTime StartUtc,
    DateTime EndUtc,
    string Summary,
    string Description,
    string OrganizerName,
    string OrganizerEmail,
    string AttendeeName,
    string AttendeeEmail,
    string UidDomain,
    DateTime StampUtc);

/// <summary>
/// An iCalendar (RFC 5545) invitation with iTIP method REQUEST (new or updated meeting) or CANCEL.
/// The UID is derived from the booking id, so every update and the cancellation refer to the same
/// event; SEQUENCE grows with each change. Lines end in CRLF and are folded at 75 octets.
/// </summary>
public static class CalendarInvitation
{
    public const string Request = "REQUEST";
    public const string Cancel = "CANCEL";

    public static string Create(InvitationDetails details, string method)
    {
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//TechNext//Portfolio Bookings//EN",
            "CALSCALE:GREGORIAN",
            $"METHOD:{method}",
            "BEGIN:VEVENT",
            $"UID:{details.BookingId:D}@{details.UidDomain}",
            $"SEQUENCE:{details.Sequence.ToString(CultureInfo.InvariantCulture)}",
            $"DTSTAMP:{Utc(details.StampUtc)}",
            $"DTSTART:{Utc(details.StartUtc)}",
            $"DTEND:{Utc(details.EndUtc)}",
            $"SUMMARY:{Escape(details.Summary)}",
            $"DESCRIPTION:{Escape(details.Description)}",
            $"ORGANIZER;CN={ParameterValue(details.OrganizerName)}:mailto:{details.OrganizerEmail}",
            $"ATTENDEE;CN={ParameterValue(details.AttendeeName)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{details.AttendeeEmail}",
            method == Cancel ? "STATUS:CANCELLED" : "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "END:VCALENDAR",
        };

        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            Fold(builder, line);
        }

        return builder.ToString();
    }

    private static string Utc(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>TEXT values: backslash, semicolon and comma escaped, line breaks as \n, other controls dropped.</summary>
    internal static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case ';': builder.Append(@"\;"); break;
                case ',': builder.Append(@"\,"); break;
                case '\n': builder.Append(@"\n"); break;
                default:
                    if (!char.IsControl(c))
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Parameter values are quoted; quotes and controls are not allowed inside.</summary>
    private static string ParameterValue(string value) =>
        "\"" + new string(value.Where(c => c != '"' && !char.IsControl(c)).ToArray()) + "\"";

    /// <summary>Folds a content line at 75 octets (UTF-8), never splitting a character.</summary>
    internal static void Fold(StringBuilder builder, string line)
    {
        var octets = 0;
        var limit = 75;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                builder.Append("\r\n ");
                octets = 1;
                limit = 75;
            }

            builder.Append(rune.ToString());
            octets += size;
        }

        builder.Append("\r\n");
    }
}
