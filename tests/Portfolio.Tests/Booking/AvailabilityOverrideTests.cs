using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Booking;

/// <summary>
/// Issue 14, part C: date overrides on the weekly windows (days off over a range, blocked hours, extra hours), read in
/// the expert's time zone, also across the daylight-saving changes; and old documents' "daysOff" still read.
/// </summary>
[ProviderIndependent]
public sealed class AvailabilityOverrideTests
{
    /// <summary>Monday 2 November 2026, 09:00 UTC: the integration tests' clock too.</summary>
    private static readonly DateTime Now = Utc("2026-11-02T09:00");

    [Fact]
    public void ABlockedPartOfADayRemovesTheSlotsThatTouchItAndOnlyOnThatDay()
    {
        // Hourly slots 09:00-17:00 on Mondays and Tuesdays; the dentist on Monday 9 November 14:00-15:30.
        var availability = Weekdays("UTC", DayOfWeek.Monday, DayOfWeek.Tuesday) with
        {
            Overrides = [Override(OverrideKind.Block, "2026-11-09", "2026-11-09", "14:00", "15:30", "Dentist")],
        };

        var slots = SlotCalculator.Offered(availability, Utc("2026-11-09T00:00"), Utc("2026-11-11T00:00"), Now);

        Assert.Equal(
            ["09:00", "10:00", "11:00", "12:00", "13:00", "16:00"],
            Times(slots.Where(slot => slot.StartUtc.Day == 9)));
        Assert.Equal(8, slots.Count(slot => slot.StartUtc.Day == 10));
    }

    [Fact]
    public void ExtraHoursOnADayOutsideTheWeeklyWindowsAreOffered()
    {
        // No Saturday window; extra hours on Saturday 14 November 10:00-12:00.
        var availability = Weekdays("UTC", DayOfWeek.Monday) with
        {
            Overrides = [Override(OverrideKind.Extra, "2026-11-14", "2026-11-14", "10:00", "12:00")],
        };

        var slots = SlotCalculator.Offered(availability, Utc("2026-11-14T00:00"), Utc("2026-11-15T00:00"), Now);

        Assert.Equal(["10:00", "11:00"], Times(slots));
    }

    [Fact]
    public void ExtraHoursOverlappingAWeeklyWindowExtendItWithoutOverlappingSlots()
    {
        // Monday's window 09:00-17:00 and extra hours 16:00-19:00 that day: one run of hourly slots until 19:00.
        var availability = Weekdays("UTC", DayOfWeek.Monday) with
        {
            Overrides = [Override(OverrideKind.Extra, "2026-11-09", "2026-11-09", "16:00", "19:00")],
        };

        var slots = SlotCalculator.Offered(availability, Utc("2026-11-09T00:00"), Utc("2026-11-10T00:00"), Now);

        Assert.Equal(["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00", "18:00"], Times(slots));
    }

    [Fact]
    public void AHolidayRangeRemovesEveryDayFromItsFirstToItsLastInclusive()
    {
        var availability = Weekdays("UTC", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday) with
        {
            Overrides = [Override(OverrideKind.Off, "2026-11-10", "2026-11-12")],
        };

        var slots = SlotCalculator.Offered(availability, Utc("2026-11-09T00:00"), Utc("2026-11-14T00:00"), Now);

        Assert.Equal([9, 13], slots.Select(slot => slot.StartUtc.Day).Distinct());
    }

    [Fact]
    public void ADayOffWinsOverExtraHoursOnTheSameDay()
    {
        var availability = Weekdays("UTC", DayOfWeek.Monday) with
        {
            Overrides = [Override(OverrideKind.Off, "2026-11-14", "2026-11-14"), Override(OverrideKind.Extra, "2026-11-14", "2026-11-14", "10:00", "12:00")],
        };

        Assert.Empty(SlotCalculator.Offered(availability, Utc("2026-11-14T00:00"), Utc("2026-11-15T00:00"), Now));
    }

    [Theory]
    // Europe/Berlin: summer time ends Sunday 25 October 2026 and begins Sunday 28 March 2027; a 09:00 Monday window
    // starts at 08:00 UTC in summer and 09:00 UTC in winter, on each side of either change.
    [InlineData("2026-10-19", "2026-10-19T07:00")]
    [InlineData("2026-10-26", "2026-10-26T08:00")]
    [InlineData("2027-03-22", "2027-03-22T08:00")]
    [InlineData("2027-03-29", "2027-03-29T07:00")]
    public void AWeeklyWindowKeepsItsWallClockTimeAcrossBothDaylightSavingChanges(string monday, string expectedFirstUtc)
    {
        var availability = Weekdays("Europe/Berlin", DayOfWeek.Monday);
        var day = Utc(monday + "T00:00");

        var slots = SlotCalculator.Offered(availability, day.AddHours(-3), day.AddDays(1), day.AddDays(-200));

        Assert.Equal(Utc(expectedFirstUtc), slots[0].StartUtc);
        Assert.Equal(8, slots.Count);
    }

    [Fact]
    public void ExtraHoursOnTheNightOfTheSpringChangeSkipTheMissingHourAndBlockedHoursUseTheWallClock()
    {
        // Sunday 28 March 2027 in Berlin: 02:00-03:00 does not exist. Extra hours 01:00-05:00, hourly slots, and a block
        // 04:00-05:00: only 03:00 (01:00 UTC) is offered. 01:00 would end at 03:00 on the wall clock (it runs into the
        // jump), 02:00 does not exist, 04:00 is blocked.
        var availability = Weekdays("Europe/Berlin") with
        {
            Overrides =
            [
                Override(OverrideKind.Extra, "2027-03-28", "2027-03-28", "01:00", "05:00"),
                Override(OverrideKind.Block, "2027-03-28", "2027-03-28", "04:00", "05:00"),
            ],
        };

        var slots = SlotCalculator.Offered(availability, Utc("2027-03-27T00:00"), Utc("2027-03-29T00:00"), Utc("2026-11-02T00:00"));

        Assert.Equal(["2027-03-28T01:00"], slots.Select(slot => $"{slot.StartUtc:yyyy-MM-dd'T'HH:mm}"));
    }

    [Fact]
    public void AnOverrideOnTheDayOfTheAutumnChangeCoversThatLocalDayOfTwentyFiveHours()
    {
        // Sunday 25 October 2026 in Berlin lasts 25 hours (22:00 UTC on the 24th to 23:00 UTC on the 25th). Extra hours
        // 00:00-24:00 with 60-minute slots and a day off on the Monday after: the slots stay on the Sunday.
        var availability = Weekdays("Europe/Berlin", DayOfWeek.Monday) with
        {
            Overrides =
            [
                Override(OverrideKind.Extra, "2026-10-25", "2026-10-25", "00:00", "24:00"),
                Override(OverrideKind.Off, "2026-10-26", "2026-10-26"),
            ],
        };

        var slots = SlotCalculator.Offered(availability, Utc("2026-10-24T00:00"), Utc("2026-10-27T00:00"), Utc("2026-10-01T00:00"));

        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.All(slots, slot => Assert.Equal(new DateOnly(2026, 10, 25), SlotCalculator.LocalDate(slot.StartUtc, zone)));
        Assert.Equal(Utc("2026-10-24T22:00"), slots[0].StartUtc);
        // 24 wall-clock starts, each offered once: the repeated 02:00 as standard time (01:00 UTC), so the real hour
        // 00:00-01:00 UTC (the first 02:00) holds none and no two slots overlap.
        Assert.Equal(24, slots.Count);
        Assert.DoesNotContain(slots, slot => slot.StartUtc == Utc("2026-10-25T00:00"));
        for (var i = 1; i < slots.Count; i++)
        {
            Assert.True(slots[i].StartUtc >= slots[i - 1].EndUtc);
        }
    }

    [Fact]
    public void BusyTimesFromTheExpertsCalendarBlockSlotsWithTheBufferButDoNotCountTowardsTheDailyLimit()
    {
        var availability = Weekdays("UTC", DayOfWeek.Monday) with { MaxPerDay = 1, BufferMinutes = 0 };
        var offered = SlotCalculator.Offered(availability, Utc("2026-11-09T00:00"), Utc("2026-11-10T00:00"), Now);
        BusyRange[] calendar = [new(Utc("2026-11-09T10:15"), Utc("2026-11-09T10:45")), new(Utc("2026-11-09T13:00"), Utc("2026-11-09T14:00"))];

        var free = SlotCalculator.Free(availability, offered, [], calendar);

        Assert.Equal(["09:00", "11:00", "12:00", "14:00", "15:00", "16:00"], Times(free));
    }

    [Fact]
    public void AnOldDocumentsDaysOffAreReadAsDayOffOverrides()
    {
        const string json = """{"name":"Old","availability":{"timeZone":"Europe/London","daysOff":["2026-12-24","2026-12-25"],"windows":[]}}""";

        var profile = (ExpertProfile)DocumentTypeRegistry.Deserialize("expertProfile", json);

        Assert.Equal(
            [(OverrideKind.Off, new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 24)), (OverrideKind.Off, new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 25))],
            profile.Availability.Overrides.Select(o => (o.Kind, o.From, o.To)));
        // Saved again, the document has the new shape only.
        var saved = DocumentTypeRegistry.Serialize(profile);
        Assert.DoesNotContain("daysOff", saved);
        Assert.Equal(2, ((ExpertProfile)DocumentTypeRegistry.Deserialize("expertProfile", saved)).Availability.Overrides.Count);
    }

    [Theory]
    [InlineData(OverrideKind.Off, "2026-11-10", "2026-11-09", "", "", "To")]
    [InlineData(OverrideKind.Block, "2026-11-10", "2026-11-10", "15:00", "14:00", "End")]
    [InlineData(OverrideKind.Extra, "2026-11-10", "2026-11-10", "9am", "12:00", "Start")]
    [InlineData(OverrideKind.Off, "2026-01-01", "2027-01-02", "", "", "To")]
    public void AnOverrideThatMakesNoSenseIsRefusedWithTheFieldNamed(OverrideKind kind, string from, string to, string start, string end, string field)
    {
        var availability = Weekdays("UTC") with { Overrides = [Override(kind, from, to, start, end)] };

        var errors = availability.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(availability)).ToList();

        Assert.Contains(errors, error => error.MemberNames.Contains($"Overrides[0].{field}"));
    }

    private static Availability Weekdays(string zone, params DayOfWeek[] days) => new()
    {
        TimeZone = zone,
        SlotMinutes = 60,
        BufferMinutes = 0,
        MinimumNoticeHours = 0,
        HorizonDays = 365,
        MaxPerDay = 24,
        Windows = days.Select(day => new WeeklyWindow { Day = day, Start = "09:00", End = "17:00" }).ToList(),
    };

    private static AvailabilityOverride Override(OverrideKind kind, string from, string to, string start = "", string end = "", string note = "") => new()
    {
        Kind = kind,
        From = DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
        To = DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture),
        Start = start,
        End = end,
        Note = note,
    };

    private static DateTime Utc(string value) =>
        DateTime.SpecifyKind(DateTime.ParseExact(value, "yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static List<string> Times(IEnumerable<Slot> slots) =>
        slots.Select(slot => slot.StartUtc.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToList();
}
