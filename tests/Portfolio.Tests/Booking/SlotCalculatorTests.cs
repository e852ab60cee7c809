using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Booking;

[ProviderIndependent]
public sealed class SlotCalculatorTests
{
    /// <summary>Monday 2 November 2026, 09:00 UTC: the integration tests' clock too.</summary>
    private static readonly DateTime Now = Utc("2026-11-02T09:00");

    [Fact]
    public void OnlyTheDaysOfTheWeeklyWindowsGetSlots()
    {
        var availability = Plain("UTC") with
        {
            Windows = [Window(DayOfWeek.Monday, "09:00", "11:00"), Window(DayOfWeek.Wednesday, "14:00", "15:00")],
            SlotMinutes = 30,
        };

        var slots = SlotCalculator.Offered(availability, Utc("2026-11-08T00:00"), Utc("2026-11-15T00:00"), Now);

        Assert.Equal(
            ["2026-11-09T09:00", "2026-11-09T09:30", "2026-11-09T10:00", "2026-11-09T10:30", "2026-11-11T14:00", "2026-11-11T14:30"],
            Starts(slots));
        Assert.All(slots, slot => Assert.Equal(TimeSpan.FromMinutes(30), slot.EndUtc - slot.StartUtc));
    }

    [Fact]
    public void SlotsFollowEachOtherAfterTheBufferAndEndInsideTheirWindow()
    {
        // 45 minutes plus a 15-minute buffer: a slot every hour; 11:30-12:15 still fits before 12:30, 12:30 does not.
        var availability = Plain("UTC") with { Windows = [Window(DayOfWeek.Tuesday, "09:30", "12:30")], SlotMinutes = 45, BufferMinutes = 15 };

        var slots = SlotCalculator.Offered(availability, Utc("2026-11-10T00:00"), Utc("2026-11-11T00:00"), Now);

        Assert.Equal(["2026-11-10T09:30", "2026-11-10T10:30", "2026-11-10T11:30"], Starts(slots));
        Assert.Equal(Utc("2026-11-10T12:15"), slots[^1].EndUtc);
    }

    [Fact]
    public void ASlotThatWouldRunPastItsWindowIsNotOffered()
    {
        var availability = Plain("UTC") with { Windows = [Window(DayOfWeek.Tuesday, "09:00", "10:00")], SlotMinutes = 45, BufferMinutes = 0 };

        var slots = SlotCalculator.Offered(availability, Utc("2026-11-10T00:00"), Utc("2026-11-11T00:00"), Now);

        Assert.Equal(["2026-11-10T09:00"], Starts(slots));
    }

    [Fact]
    public void ASlotInsideTheMinimumNoticeIsNotOfferedAndOneExactlyAtItIs()
    {
        // London is on GMT in November. Asked on Monday at 09:30 with 24 hours of notice, Tuesday 09:30 is just in time.
        var availability = Plain("Europe/London") with
        {
            Windows = [Window(DayOfWeek.Monday, "09:30", "12:30"), Window(DayOfWeek.Tuesday, "09:30", "12:30")],
            BufferMinutes = 15,
            MinimumNoticeHours = 24,
        };

        var justInTime = SlotCalculator.Offered(availability, Now.Date, Now.Date.AddDays(2), Utc("2026-11-02T09:30"));
        var aMinuteLate = SlotCalculator.Offered(availability, Now.Date, Now.Date.AddDays(2), Utc("2026-11-02T09:31"));

        Assert.Equal(["2026-11-03T09:30", "2026-11-03T10:30", "2026-11-03T11:30"], Starts(justInTime));
        Assert.Equal(["2026-11-03T10:30", "2026-11-03T11:30"], Starts(aMinuteLate));
    }

    [Fact]
    public void NothingIsOfferedBeyondTheHorizon()
    {
        var availability = Plain("UTC") with { Windows = [Window(DayOfWeek.Monday, "09:00", "10:00")], SlotMinutes = 60, HorizonDays = 14 };

        var slots = SlotCalculator.Offered(availability, Now, Now.AddDays(60), Now);

        // The horizon ends on Monday 16 November at 09:00: that day's 09:00 slot starts at the limit and is out.
        Assert.Equal(["2026-11-02T09:00", "2026-11-09T09:00"], Starts(slots));
        Assert.Empty(SlotCalculator.Offered(availability, Now.AddDays(20), Now.AddDays(30), Now));
    }

    [Fact]
    public void ADayOffIsALocalDateOfTheExpert()
    {
        // Auckland is 13 hours ahead in November: Tuesday 3 November 09:00 there is Monday 20:00 UTC.
        var availability = Plain("Pacific/Auckland") with
        {
            Windows = [Window(DayOfWeek.Tuesday, "09:00", "10:00")],
            SlotMinutes = 60,
            Overrides = [new AvailabilityOverride { Kind = OverrideKind.Off, From = new DateOnly(2026, 11, 3), To = new DateOnly(2026, 11, 3) }],
        };

        var slots = SlotCalculator.Offered(availability, Now.AddHours(-12), Now.AddDays(15), Now.AddHours(-12));

        Assert.Equal(["2026-11-09T20:00", "2026-11-16T20:00"], Starts(slots));
    }

    [Fact]
    public void ADayWithTheMaximumNumberOfBookingsHasNoFreeSlotLeft()
    {
        var availability = Plain("UTC") with
        {
            Windows = [Window(DayOfWeek.Tuesday, "09:00", "17:00"), Window(DayOfWeek.Wednesday, "09:00", "11:00")],
            SlotMinutes = 60,
            BufferMinutes = 0,
            MaxPerDay = 2,
        };
        var offered = SlotCalculator.Offered(availability, Utc("2026-11-10T00:00"), Utc("2026-11-12T00:00"), Now);
        BusyRange[] busy = [new(Utc("2026-11-10T09:00"), Utc("2026-11-10T10:00")), new(Utc("2026-11-10T15:00"), Utc("2026-11-10T16:00"))];

        var free = SlotCalculator.Free(availability, offered, busy);

        Assert.Equal(["2026-11-11T09:00", "2026-11-11T10:00"], Starts(free));
    }

    [Fact]
    public void ABookingBlocksItsOwnTimeAndTheBufferOnEitherSide()
    {
        var availability = Plain("UTC") with { Windows = [Window(DayOfWeek.Tuesday, "08:00", "13:00")], SlotMinutes = 45, BufferMinutes = 0 };
        var offered = SlotCalculator.Offered(availability, Utc("2026-11-10T00:00"), Utc("2026-11-11T00:00"), Now);
        // Booked 10:00-10:45 under an earlier, different slot grid; the buffer is 15 minutes.
        BusyRange[] busy = [new(Utc("2026-11-10T10:00"), Utc("2026-11-10T10:45"))];

        var free = SlotCalculator.Free(availability with { BufferMinutes = 15 }, offered, busy);

        // Offered: 08:00 08:45 09:30 10:15 11:00 11:45. 09:30-10:15 ends inside, 10:15 overlaps, 11:00 starts 15 minutes after: free.
        Assert.Equal(["2026-11-10T08:00", "2026-11-10T08:45", "2026-11-10T11:00", "2026-11-10T11:45"], Starts(free));
    }

    [Theory]
    [InlineData("2026-03-23", "2026-03-23T09:30")] // Monday before the spring change (GMT, UTC+0)
    [InlineData("2026-03-30", "2026-03-30T08:30")] // Monday after it (BST, UTC+1)
    [InlineData("2026-10-19", "2026-10-19T08:30")] // Monday before the autumn change (BST)
    [InlineData("2026-10-26", "2026-10-26T09:30")] // Monday after it (GMT)
    public void ALondonWindowAtHalfPastNineFollowsDaylightSavingTime(string monday, string expectedUtcStart)
    {
        var availability = Plain("Europe/London") with { Windows = [Window(DayOfWeek.Monday, "09:30", "10:15")], SlotMinutes = 45 };
        var day = Utc(monday + "T00:00");

        var slots = SlotCalculator.Offered(availability, day, day.AddDays(1), day.AddDays(-7));

        var slot = Assert.Single(slots);
        Assert.Equal(Utc(expectedUtcStart), slot.StartUtc);
        Assert.Equal(TimeSpan.FromMinutes(45), slot.EndUtc - slot.StartUtc);
    }

    [Fact]
    public void AWindowAcrossTheSpringForwardGapSkipsTheMissingHour()
    {
        // Sunday 29 March 2026: London clocks go from 01:00 GMT straight to 02:00 BST.
        var availability = Plain("Europe/London") with { Windows = [Window(DayOfWeek.Sunday, "00:00", "04:00")], SlotMinutes = 60 };
        var day = Utc("2026-03-29T00:00");

        var slots = SlotCalculator.Offered(availability, day.AddHours(-2), day.AddDays(1), day.AddDays(-7));

        // Local 02:00 and 03:00 (BST). 01:00 does not exist that night, and 00:00-01:00 would end in the jump.
        Assert.Equal(["2026-03-29T01:00", "2026-03-29T02:00"], Starts(slots));
        Assert.All(slots, slot => Assert.Equal(TimeSpan.FromHours(1), slot.EndUtc - slot.StartUtc));
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        Assert.DoesNotContain(slots, slot => TimeZoneInfo.ConvertTimeFromUtc(slot.StartUtc, london).Hour == 1);
    }

    [Fact]
    public void ASlotThatRunsIntoTheRepeatedAutumnHourKeepsItsLength()
    {
        // Sunday 25 October 2026: London clocks go from 02:00 BST back to 01:00 GMT, so 01:00-02:00 happens twice.
        var availability = Plain("Europe/London") with { Windows = [Window(DayOfWeek.Sunday, "00:30", "02:30")], SlotMinutes = 60 };
        var day = Utc("2026-10-25T00:00");

        var slots = SlotCalculator.Offered(availability, day.AddHours(-2), day.AddDays(1), day.AddDays(-7));

        Assert.NotEmpty(slots);
        Assert.All(slots, slot => Assert.Equal(TimeSpan.FromHours(1), slot.EndUtc - slot.StartUtc));
        Assert.Equal(Utc("2026-10-24T23:30"), slots[0].StartUtc); // 00:30 BST
    }

    [Theory]
    [InlineData("Europe/London", 45, 15)]
    [InlineData("Europe/London", 50, 25)] // slots off the hour grid run into the jumps
    [InlineData("America/New_York", 45, 15)]
    [InlineData("America/New_York", 90, 0)]
    [InlineData("Australia/Sydney", 50, 25)]
    [InlineData("Australia/Lord_Howe", 45, 15)] // a 30-minute daylight-saving shift
    [InlineData("Australia/Lord_Howe", 50, 25)]
    [InlineData("Asia/Kolkata", 45, 15)]
    public void AcrossAWholeYearEverySlotHasItsLengthAndNoTwoOverlap(string zone, int slotMinutes, int bufferMinutes)
    {
        var allDay = Enum.GetValues<DayOfWeek>().Select(day => Window(day, "00:00", "24:00")).ToList();
        var availability = Plain(zone) with { Windows = allDay, SlotMinutes = slotMinutes, BufferMinutes = bufferMinutes, HorizonDays = 365 };
        var start = Utc("2026-01-01T00:00");

        var slots = SlotCalculator.Offered(availability, start, start.AddDays(365), start);

        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var perDay = (24 * 60 - slotMinutes) / (slotMinutes + bufferMinutes) + 1;
        Assert.InRange(slots.Count, 365 * perDay - 4, 365 * perDay);
        Assert.All(slots, slot =>
        {
            Assert.Equal(TimeSpan.FromMinutes(slotMinutes), slot.EndUtc - slot.StartUtc);
            Assert.Equal(DateTimeKind.Utc, slot.StartUtc.Kind);
            Assert.False(tz.IsInvalidTime(TimeZoneInfo.ConvertTimeFromUtc(slot.StartUtc, tz)));
        });
        for (var i = 1; i < slots.Count; i++)
        {
            Assert.True(slots[i].StartUtc >= slots[i - 1].EndUtc, $"{slots[i - 1]} and {slots[i]} overlap in {zone}");
        }
    }

    private static Availability Plain(string zone) => new()
    {
        TimeZone = zone,
        SlotMinutes = 45,
        BufferMinutes = 0,
        MinimumNoticeHours = 0,
        HorizonDays = 365,
        MaxPerDay = 24,
        Windows = [],
        Overrides = [],
    };

    private static WeeklyWindow Window(DayOfWeek day, string start, string end) => new() { Day = day, Start = start, End = end };

    private static DateTime Utc(string value) =>
        DateTime.SpecifyKind(DateTime.ParseExact(value, "yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static List<string> Starts(IEnumerable<Slot> slots) =>
        slots.Select(slot => slot.StartUtc.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToList();
}
