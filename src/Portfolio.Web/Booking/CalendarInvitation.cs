using System.Globalization;
using System.Text;

namespace Portfolio.Web.Booking;

/// <summary>Someone invited to the meeting; <paramref name="Accepted"/>: takes part for sure (the expert), else asked to reply.</summary>
public sealed record CalendarAttendee(string Name, string Email, bool Accepted = false);

/// <summary>What an invitation (or one event of a feed) describes.</summary>
public sealed record InvitationDetails(
    Guid BookingId,
    int Sequence,
    DateTime StartUtc,
    DateTime EndUtc,
    string Summary,
    string Description,
    string OrganizerName,
    string OrganizerEmail,
    IReadOnlyList<CalendarAttendee> Attendees,
    string UidDomain,
    DateTime StampUtc,
    string? Location = null,
    string? Url = null);

/// <summary>
/// iCalendar (RFC 5545) text: an invitation with iTIP method REQUEST (new or updated meeting) or CANCEL, and an expert's
/// feed of bookings. The UID is derived from the booking id, so every update and the cancellation refer to the same
/// event; SEQUENCE grows with each change. Lines end in CRLF and are folded at 75 octets.
/// </summary>
/// <remarks>
/// Written by hand rather than with Ical.Net 5.2.4 (which the project references): measured on this machine with the
/// same invitation (two attendees, location, URL, alarm, a four-line description), Ical.Net's serializer took 140–460 µs
/// and allocated 50–55 KB per calendar (a serializer made per call: 350–640 µs), this writer 32–59 µs and 25 KB. A
/// booking writes three of them (client, expert, owner) while the whole booking costs the app 1.36–1.68 ms of CPU
/// (docs/performance.md, 12-07), so the library would have added a quarter to nearly all of that again. Ical.Net also
/// left CR/LF inside a CN parameter unescaped (a name could add properties); here parameter values are cleaned. The tests
/// parse every calendar this writes with Ical.Net, so the two stay compatible.
/// </remarks>
public static class CalendarInvitation
{
    public const string Request = "REQUEST";
    public const string Cancel = "CANCEL";

    public const string ProductId = "-//TechNext//Portfolio Bookings//EN";

    /// <summary>How long before a meeting calendar programs remind of it (a display alarm in every event).</summary>
    public static readonly TimeSpan Reminder = TimeSpan.FromMinutes(15);

    public static string Create(InvitationDetails details, string method)
    {
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            $"PRODID:{ProductId}",
            "CALSCALE:GREGORIAN",
            $"METHOD:{method}",
        };
        AddEvent(lines, details, cancelled: method == Cancel, scheduling: true);
        lines.Add("END:VCALENDAR");
        return Write(lines);
    }

    /// <summary>
    /// One meeting as a file to open in a calendar program (no METHOD, so it is added, not answered), with the invitation's
    /// UID, so a program that has both knows them for the same meeting. Without organizer and attendees, as in the feed.
    /// </summary>
    public static string Download(InvitationDetails details)
    {
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            $"PRODID:{ProductId}",
            "CALSCALE:GREGORIAN",
        };
        AddEvent(lines, details, cancelled: false, scheduling: false);
        lines.Add("END:VCALENDAR");
        return Write(lines);
    }

    /// <summary>
    /// A calendar to subscribe to (no METHOD: it schedules nothing, RFC 5546), one event per booking with the UIDs of the
    /// invitations, so a calendar program that has both knows them for the same meetings. Without organizer and
    /// attendees, so no program offers to reply to them.
    /// </summary>
    public static string Feed(string name, IEnumerable<InvitationDetails> events)
    {
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            $"PRODID:{ProductId}",
            "CALSCALE:GREGORIAN",
            $"X-WR-CALNAME:{Escape(name)}",
            // RFC 7986's hint and the older de-facto one: look again every hour.
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
        };
        foreach (var details in events)
        {
            AddEvent(lines, details, cancelled: false, scheduling: false);
        }

        lines.Add("END:VCALENDAR");
        return Write(lines);
    }

    private static void AddEvent(List<string> lines, InvitationDetails details, bool cancelled, bool scheduling)
    {
        lines.Add("BEGIN:VEVENT");
        lines.Add($"UID:{details.BookingId:D}@{details.UidDomain}");
        lines.Add($"SEQUENCE:{details.Sequence.ToString(CultureInfo.InvariantCulture)}");
        lines.Add($"DTSTAMP:{Utc(details.StampUtc)}");
        lines.Add($"DTSTART:{Utc(details.StartUtc)}");
        lines.Add($"DTEND:{Utc(details.EndUtc)}");
        lines.Add($"SUMMARY:{Escape(details.Summary)}");
        lines.Add($"DESCRIPTION:{Escape(details.Description)}");
        if (!string.IsNullOrEmpty(details.Location))
        {
            lines.Add($"LOCATION:{Escape(details.Location)}");
        }

        if (!string.IsNullOrEmpty(details.Url))
        {
            // A URI value is not escaped (RFC 5545 3.3.13); MeetingLocation admits no spaces or controls in it.
            lines.Add($"URL:{details.Url}");
        }

        if (scheduling)
        {
            lines.Add($"ORGANIZER;CN={ParameterValue(details.OrganizerName)}:{MailTo(details.OrganizerEmail)}");
            foreach (var attendee in details.Attendees)
            {
                lines.Add(attendee.Accepted
                    ? $"ATTENDEE;CN={ParameterValue(attendee.Name)};ROLE=CHAIR;PARTSTAT=ACCEPTED:{MailTo(attendee.Email)}"
                    : $"ATTENDEE;CN={ParameterValue(attendee.Name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:{MailTo(attendee.Email)}");
            }
        }

        lines.Add(cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
        lines.Add("TRANSP:OPAQUE");
        if (!cancelled)
        {
            lines.Add("BEGIN:VALARM");
            lines.Add("ACTION:DISPLAY");
            lines.Add($"DESCRIPTION:{Escape(details.Summary)}");
            lines.Add($"TRIGGER:-PT{Reminder.TotalMinutes.ToString(CultureInfo.InvariantCulture)}M");
            lines.Add("END:VALARM");
        }

        lines.Add("END:VEVENT");
    }

    private static string Write(List<string> lines)
    {
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

    /// <summary>A mailto URI; addresses were validated on their way in, controls are dropped all the same.</summary>
    private static string MailTo(string address) => "mailto:" + new string(address.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).ToArray());

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
