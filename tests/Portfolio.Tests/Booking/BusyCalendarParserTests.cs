using System.Net;
using Microsoft.Extensions.Options;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;

namespace Portfolio.Tests.Booking;

/// <summary>Issue 14, part C: what of an expert's calendar makes them busy, in UTC, and which addresses are fetched at all.</summary>
[ProviderIndependent]
public sealed class BusyCalendarParserTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    [Fact]
    public void AWeeklyEventInNewYorkFollowsNewYorksDaylightSavingChangeNotTheExperts()
    {
        // America changes on 14 March 2027, Europe on 28 March: in between, 10:00 in New York is 14:00 UTC, a week before 15:00.
        var busy = Parse("""
            BEGIN:VEVENT
            UID:weekly
            DTSTAMP:20270101T000000Z
            DTSTART;TZID=America/New_York:20270301T100000
            DTEND;TZID=America/New_York:20270301T110000
            RRULE:FREQ=WEEKLY;BYDAY=MO
            EXDATE;TZID=America/New_York:20270322T100000
            END:VEVENT
            """, "2027-03-01", "2027-04-01");

        Assert.Equal(
            ["2027-03-01T15:00/16:00", "2027-03-08T15:00/16:00", "2027-03-15T14:00/15:00", "2027-03-29T14:00/15:00"],
            busy.Select(Format));
    }

    [Fact]
    public void AnAllDayEventBlocksItsDaysFromMidnightToMidnightInTheExpertsZone()
    {
        // London is on summer time (UTC+1) on 1 and 2 June 2027: the two days are 23:00 UTC on 31 May to 23:00 UTC on 2 June.
        var busy = Parse("""
            BEGIN:VEVENT
            UID:conference
            DTSTAMP:20270101T000000Z
            DTSTART;VALUE=DATE:20270601
            DTEND;VALUE=DATE:20270603
            END:VEVENT
            """, "2027-05-01", "2027-07-01");

        Assert.Equal(["2027-05-31T23:00/2027-06-02T23:00"], busy.Select(range => $"{range.StartUtc:yyyy-MM-dd'T'HH:mm}/{range.EndUtc:yyyy-MM-dd'T'HH:mm}"));
    }

    [Fact]
    public void FreeAndCancelledEventsAndCancelledOccurrencesDoNotMakeTheExpertBusyAndFloatingTimesAreTheExperts()
    {
        var busy = Parse("""
            BEGIN:VEVENT
            UID:free
            DTSTAMP:20270101T000000Z
            DTSTART:20270105T090000Z
            DTEND:20270105T100000Z
            TRANSP:TRANSPARENT
            END:VEVENT
            BEGIN:VEVENT
            UID:cancelled
            DTSTAMP:20270101T000000Z
            DTSTART:20270105T110000Z
            DTEND:20270105T120000Z
            STATUS:CANCELLED
            END:VEVENT
            BEGIN:VEVENT
            UID:daily
            DTSTAMP:20270101T000000Z
            DTSTART:20270104T130000
            DTEND:20270104T133000
            RRULE:FREQ=DAILY;COUNT=3
            END:VEVENT
            BEGIN:VEVENT
            UID:daily
            DTSTAMP:20270101T000000Z
            RECURRENCE-ID:20270105T130000
            DTSTART:20270105T130000
            DTEND:20270105T133000
            STATUS:CANCELLED
            END:VEVENT
            """, "2027-01-01", "2027-02-01");

        // Floating 13:00 is 13:00 in London (UTC in January); the daily event's cancelled second occurrence is left out.
        Assert.Equal(["2027-01-04T13:00/13:30", "2027-01-06T13:00/13:30"], busy.Select(Format));
    }

    [Theory]
    [InlineData("<html><body>Sign in to see this calendar</body></html>")]
    [InlineData("")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n")]
    public void TextThatIsNoCalendarIsRefusedRatherThanReadAsAnEmptyOne(string text)
    {
        Assert.Throws<FormatException>(() => BusyCalendarParser.Parse(text, London, Utc("2027-01-01"), Utc("2027-02-01")));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", false)]
    public void LoopbackPrivateAndLinkLocalAddressesArePrivate(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, BusyCalendarFetcher.IsPrivate(IPAddress.Parse(address)));

    [Fact]
    public async Task WithoutTheSwitchACalendarOnALoopbackAddressIsNotFetched()
    {
        // A real listener, so that the refusal is the address rule's and not a closed port's.
        var listener = new HttpListener();
        var port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var served = 0;
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                try
                {
                    var context = await listener.GetContextAsync();
                    Interlocked.Increment(ref served);
                    context.Response.Close();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        });
        try
        {
            var options = new Monitor(new BusyCalendarOptions { AllowPrivateAddresses = false, Timeout = TimeSpan.FromSeconds(5) });
            var fetcher = new BusyCalendarFetcher(new Factory(options), options);

            var result = await fetcher.FetchAsync(new Uri($"http://127.0.0.1:{port}/calendar.ics"), null, null, CancellationToken.None);

            var failed = Assert.IsType<FeedFetch.Failed>(result);
            Assert.StartsWith("The calendar's address points into a private network", failed.Error);
            Assert.Equal(0, served);

            // The same server with the switch on (as the tests run): it is fetched.
            var allowed = new Monitor(new BusyCalendarOptions { AllowPrivateAddresses = true, Timeout = TimeSpan.FromSeconds(5) });
            await new BusyCalendarFetcher(new Factory(allowed), allowed).FetchAsync(new Uri($"http://127.0.0.1:{port}/calendar.ics"), null, null, CancellationToken.None);
            Assert.Equal(1, served);
        }
        finally
        {
            listener.Stop();
            listener.Close();
        }
    }

    private static List<BusyRange> Parse(string events, string from, string to) =>
        BusyCalendarParser.Parse($"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//EN\r\n{events.ReplaceLineEndings("\r\n")}\r\nEND:VCALENDAR\r\n", London, Utc(from), Utc(to));

    private static string Format(BusyRange range) => $"{range.StartUtc:yyyy-MM-dd'T'HH:mm}/{range.EndUtc:HH:mm}";

    private static DateTime Utc(string day) => DateTime.SpecifyKind(DateTime.Parse(day, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private sealed class Monitor(BusyCalendarOptions value) : IOptionsMonitor<BusyCalendarOptions>
    {
        public BusyCalendarOptions CurrentValue => value;

        public BusyCalendarOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<BusyCalendarOptions, string?> listener) => null;
    }

    /// <summary>The app's handler (<see cref="BusyCalendarFetcher.CreateHandler"/>) without the app around it.</summary>
    private sealed class Factory(IOptionsMonitor<BusyCalendarOptions> options) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(BusyCalendarFetcher.CreateHandler(options));
    }
}
