using System.Text;
using Portfolio.Web.Booking;

namespace Portfolio.Tests.Booking;

public sealed class CalendarInvitationTests
{
    private static readonly Guid BookingId = Guid.Parse("0193a1c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d");

    [Fact]
    public void EveryLineEndsInCrLfAndNoLineIsLongerThan75Octets()
    {
        var calendar = CalendarInvitation.Create(Details(description: LongText()), CalendarInvitation.Request);

        Assert.EndsWith("\r\n", calendar, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", calendar.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("\r", calendar.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var lines = calendar.Split("\r\n")[..^1];
        Assert.All(lines, line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"{Encoding.UTF8.GetByteCount(line)} octets: {line}"));
        Assert.Contains(lines, line => line.StartsWith(' ')); // the long description was folded
    }

    [Fact]
    public void FoldingNeverSplitsACharacterAndUnfoldsToTheEscapedText()
    {
        var description = LongText();
        var calendar = CalendarInvitation.Create(Details(description: description), CalendarInvitation.Request);

        // Each folded line must be valid UTF-8 on its own: no character is cut between lines.
        foreach (var line in calendar.Split("\r\n"))
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            Assert.Equal(line, new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        }

        Assert.Equal(CalendarInvitation.Escape(description), Property(calendar, "DESCRIPTION"));
    }

    [Fact]
    public void TextValuesEscapeBackslashesSemicolonsCommasAndLineBreaks()
    {
        var calendar = CalendarInvitation.Create(
            Details(summary: "Review; part 1, with C:\\data", description: "Line one\r\nLine two\nEnd\u0007"), CalendarInvitation.Request);

        Assert.Equal(@"Review\; part 1\, with C:\\data", Property(calendar, "SUMMARY"));
        Assert.Equal(@"Line one\nLine two\nEnd", Property(calendar, "DESCRIPTION"));
    }

    [Fact]
    public void TheInvitationIsAnITipRequestWithOrganizerAndAttendee()
    {
        var calendar = CalendarInvitation.Create(Details(), CalendarInvitation.Request);
        var lines = Unfold(calendar);

        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Equal("END:VCALENDAR", lines[^1]);
        Assert.Contains("VERSION:2.0", lines);
        Assert.Contains(lines, line => line.StartsWith("PRODID:", StringComparison.Ordinal));
        Assert.Equal(["REQUEST"], Values(lines, "METHOD"));
        Assert.Equal(1, lines.Count(line => line == "BEGIN:VEVENT"));
        Assert.Equal(1, lines.Count(line => line == "END:VEVENT"));
        Assert.Equal("20261103T093000Z", Property(calendar, "DTSTART"));
        Assert.Equal("20261103T101500Z", Property(calendar, "DTEND"));
        Assert.Equal("20261102T090000Z", Property(calendar, "DTSTAMP"));
        Assert.Equal("CONFIRMED", Property(calendar, "STATUS"));
        Assert.Contains("ORGANIZER;CN=\"Talha\":mailto:talha@example.com", lines);
        Assert.Contains(lines, line => line.StartsWith("ATTENDEE;CN=\"Grace Hopper\";", StringComparison.Ordinal)
                                       && line.Contains("RSVP=TRUE", StringComparison.Ordinal)
                                       && line.EndsWith(":mailto:grace@example.com", StringComparison.Ordinal));
        // The expert takes part too, so every calendar shows the expert's meeting with the client.
        Assert.Contains("ATTENDEE;CN=\"Talha\";ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:talha@example.com", lines);
        Rfc5545.AssertValid(calendar, "REQUEST");
    }

    [Fact]
    public void TheInvitationSaysWhereWithLocationAndUrlAndRemindsFifteenMinutesBefore()
    {
        var calendar = CalendarInvitation.Create(Details(), CalendarInvitation.Request);
        var lines = Unfold(calendar);

        Assert.Equal("https://meet.example/talha-k7m2q9xw4rtb", Property(calendar, "LOCATION"));
        Assert.Equal("https://meet.example/talha-k7m2q9xw4rtb", Property(calendar, "URL"));
        var alarm = lines.SkipWhile(line => line != "BEGIN:VALARM").TakeWhile(line => line != "END:VALARM").ToList();
        Assert.Contains("ACTION:DISPLAY", alarm);
        Assert.Contains("TRIGGER:-PT15M", alarm);
        var parsed = Ical.Net.Calendar.Load(calendar)!.Events.Single();
        Assert.Equal(TimeSpan.FromMinutes(-15), parsed.Alarms.Single().Trigger!.Duration!.Value.ToTimeSpanUnspecified());
        Assert.Equal(new Uri("https://meet.example/talha-k7m2q9xw4rtb"), parsed.Url);
    }

    [Fact]
    public void ACancellationHasNoAlarmAndAPhoneNumberOrAddressNoUrl()
    {
        var details = Details(location: null) with { Location = "Ropemaker Street 1, London; 3rd floor" };
        var cancelled = CalendarInvitation.Create(details, CalendarInvitation.Cancel);

        Assert.DoesNotContain("BEGIN:VALARM", Unfold(cancelled));
        Assert.DoesNotContain(Unfold(cancelled), line => line.StartsWith("URL:", StringComparison.Ordinal));
        Assert.Equal(@"Ropemaker Street 1\, London\; 3rd floor", Property(cancelled, "LOCATION"));
        Rfc5545.AssertValid(cancelled, "CANCEL");
    }

    [Fact]
    public void AFeedHasNoMethodNoPeopleToReplyToAndOneEventPerBooking()
    {
        var feed = CalendarInvitation.Feed("Talha: consultations", [Details(), Details(sequence: 3) with { BookingId = Guid.CreateVersion7() }]);
        var lines = Unfold(feed);

        Assert.DoesNotContain(lines, line => line.StartsWith("METHOD", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.StartsWith("ORGANIZER", StringComparison.Ordinal) || line.StartsWith("ATTENDEE", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(line => line == "BEGIN:VEVENT"));
        Assert.Equal("Talha: consultations", Property(feed, "X-WR-CALNAME"));
        Rfc5545.AssertValid(feed, method: null);
    }

    [Theory]
    [InlineData("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20261102T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "DTSTART")]
    [InlineData("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nEND:VCALENDAR\n", "CRLF")]
    [InlineData("BEGIN:VCALENDAR\r\nPRODID:x\r\nEND:VCALENDAR\r\n", "VERSION")]
    [InlineData("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n", "METHOD")]
    [InlineData("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nX-LONG:0123456789012345678901234567890123456789012345678901234567890123456789\r\nEND:VCALENDAR\r\n", "octets")]
    public void TheCheckerRefusesCalendarsThatBreakTheRules(string calendar, string problem)
    {
        Assert.Contains(Rfc5545.Problems(calendar, method: null), found => found.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void TheUidStaysTheSameAcrossUpdatesAndTheCancellationWhileTheSequenceGrows()
    {
        var created = CalendarInvitation.Create(Details(sequence: 0), CalendarInvitation.Request);
        var moved = CalendarInvitation.Create(Details(sequence: 1, start: new DateTime(2026, 11, 4, 14, 0, 0, DateTimeKind.Utc)), CalendarInvitation.Request);
        var cancelled = CalendarInvitation.Create(Details(sequence: 2), CalendarInvitation.Cancel);

        var uid = Property(created, "UID");
        Assert.Equal($"{BookingId:D}@example.com", uid);
        Assert.Equal(uid, Property(moved, "UID"));
        Assert.Equal(uid, Property(cancelled, "UID"));
        Assert.Equal(["0", "1", "2"], new[] { created, moved, cancelled }.Select(calendar => Property(calendar, "SEQUENCE")));
        Assert.Equal("CANCEL", Property(cancelled, "METHOD"));
        Assert.Equal("CANCELLED", Property(cancelled, "STATUS"));
        Assert.Equal("20261104T140000Z", Property(moved, "DTSTART"));
    }

    [Fact]
    public void NamesCannotBreakOutOfTheirQuotedParameterOrAddProperties()
    {
        var calendar = CalendarInvitation.Create(Details(attendeeName: "Eve\"; ROLE=CHAIR\r\nATTENDEE:mailto:evil@example.com"), CalendarInvitation.Request);
        var lines = Unfold(calendar);

        Assert.Equal(2, lines.Count(line => line.StartsWith("ATTENDEE", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, line => line.Contains("evil@example.com", StringComparison.Ordinal) && !line.StartsWith("ATTENDEE;CN=\"", StringComparison.Ordinal));
        var attendee = lines.Single(line => line.StartsWith("ATTENDEE", StringComparison.Ordinal) && line.Contains("grace@", StringComparison.Ordinal));
        Assert.EndsWith(":mailto:grace@example.com", attendee, StringComparison.Ordinal);
        Assert.Equal(2, attendee.Count(c => c == '"'));
    }

    /// <summary>Umlauts, CJK and emoji: 2-, 3- and 4-octet characters that a naive fold would cut.</summary>
    private static string LongText() =>
        string.Concat(Enumerable.Repeat("Größenordnung 規模 🚀 scaling; caching, tuning\\ ", 12)) + "\nSecond line";

    private static InvitationDetails Details(
        int sequence = 0, DateTime? start = null, string summary = "Consultation with Talha", string description = "Database scaling review",
        string attendeeName = "Grace Hopper", string? location = "https://meet.example/talha-k7m2q9xw4rtb")
    {
        var startUtc = start ?? new DateTime(2026, 11, 3, 9, 30, 0, DateTimeKind.Utc);
        return new InvitationDetails(BookingId, sequence, startUtc, startUtc.AddMinutes(45), summary, description,
            "Talha", "talha@example.com", [new("Talha", "talha@example.com", Accepted: true), new(attendeeName, "grace@example.com")],
            "example.com", new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc), location, location);
    }

    /// <summary>RFC 5545 3.1: a CRLF followed by one space or tab continues the previous line.</summary>
    private static List<string> Unfold(string calendar) =>
        calendar.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal)
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ToList();

    private static IEnumerable<string> Values(List<string> lines, string name) =>
        lines.Where(line => line.StartsWith(name + ":", StringComparison.Ordinal)).Select(line => line[(name.Length + 1)..]);

    /// <summary>The event's own property (a VALARM has a DESCRIPTION of its own).</summary>
    private static string Property(string calendar, string name) =>
        Assert.Single(Values(Unfold(calendar).TakeWhile(line => line != "BEGIN:VALARM").ToList(), name));
}
