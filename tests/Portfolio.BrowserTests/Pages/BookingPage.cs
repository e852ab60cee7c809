using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using Xunit.Sdk;

namespace Portfolio.BrowserTests.Pages;

/// <summary>
/// An expert's booking page at <c>/team/{slug}/book</c>, in steps as on cal.com: the time zone select (<c>#booking-tz</c>)
/// and the month calendar (days with free times are links), the chosen day's times (<c>#booking-times</c>, links), then
/// the details step (<c>#booking-chosen</c> repeats the time, the form <c>#booking-form</c>). When the server turns a
/// time down the details step offers other times as radio buttons (<c>#booking-slots</c>, <see cref="Slots"/>).
/// Success redirects to the booking's manage page (<see cref="ManagePage"/>).
/// </summary>
public sealed class BookingPage : FormPage
{
    /// <summary>Sample experts that take bookings: Talha works in Europe/London, Maya in Europe/Stockholm.</summary>
    public const string Talha = "talha";
    public const string TalhaTimeZone = "Europe/London";
    public const string Maya = "maya-lindqvist";
    public const string MayaTimeZone = "Europe/Stockholm";

    public BookingPage(IPage page, string slug, string? path = null)
        : base(page)
    {
        Slug = slug;
        Path = path ?? $"/team/{slug}/book";
        Slots = new SlotList(this, "booking");
    }

    public string Slug { get; }

    /// <summary>An expert's page (<c>/team/{slug}/book</c>) or a service's (<c>/services/{slug}/book</c>: any available expert).</summary>
    public string Path { get; }

    /// <summary>The service's booking page reached from the service's page (the browser is already there).</summary>
    public static async Task<BookingPage> ArrivedAtServiceAsync(IPage page, string serviceSlug)
    {
        var booking = new BookingPage(page, serviceSlug, $"/services/{serviceSlug}/book");
        await booking.ExpectPathAsync(booking.Path);
        await booking.ZoneSettledAsync();
        return booking;
    }

    /// <summary>The other free times the details step offers after the server turned the chosen one down.</summary>
    public SlotList Slots { get; }

    public ILocator TimeZoneSelect => Page.Locator("#booking-tz");

    /// <summary>The zone form's "Show times" button (the calendar is drawn by the server in the zone chosen).</summary>
    public ILocator ShowTimesButton => Page.Locator("form[data-calendar-zone-form] button[type='submit']");

    /// <summary>"London time, Europe/London (UTC+00:00)".</summary>
    public ILocator ZoneLabel => Page.Locator("#booking-calendar [data-zone-label]");

    public ILocator MonthTitle => Page.Locator(".month__title");

    public ILocator FreeDays => Page.Locator(".month__grid a.month__day--free");

    public ILocator ChosenDay => Page.Locator(".month__grid [aria-current='date']");

    public ILocator NextMonth => Page.Locator("a.month__paging--next");

    public ILocator PreviousMonth => Page.Locator("a.month__paging[rel='prev']");

    public ILocator TimesHeading => Page.Locator("#booking-times-heading");

    public ILocator Times => Page.Locator("#booking-times a.time-link");

    /// <summary>The details step's repetition of the chosen time.</summary>
    public ILocator Chosen => Page.Locator("#booking-chosen");

    public ILocator Form => Page.Locator("#booking-form");

    public ILocator Name => Page.Locator("#booking-name");

    public ILocator Email => Page.Locator("#booking-email");

    public ILocator Company => Page.Locator("#booking-company");

    public ILocator Topic => Page.Locator("#booking-topic");

    public ILocator Notes => Page.Locator("#booking-notes");

    /// <summary>The submit button; it reads "Book consultation", and "Booking…" while the form is on its way.</summary>
    public ILocator BookButton => Form.Locator("button[type='submit']");

    /// <summary>Opens the page directly; <paramref name="query"/> such as <c>?tz=Asia/Tokyo</c>.</summary>
    public static async Task<BookingPage> OpenAsync(IPage page, string slug, string query = "")
    {
        await GotoAsync(page, $"/team/{slug}/book{query}");
        var booking = new BookingPage(page, slug);
        await booking.ZoneSettledAsync();
        return booking;
    }

    /// <summary>
    /// On a first visit (no zone in the address) the script asks for the page again in the browser's zone. A test that
    /// went on at once would press keys on a page about to be replaced, so this waits for that second page; without
    /// script, or when the browser's zone is the expert's, no second page comes and the wait ends after a few seconds.
    /// </summary>
    public async Task ZoneSettledAsync()
    {
        if (new Uri(Page.Url).Query.Contains("tz=", StringComparison.Ordinal) ||
            await Page.Locator("[data-booking-calendar]").GetAttributeAsync("data-zone-chosen") != "false")
        {
            return;
        }

        try
        {
            await Page.WaitForAddressAsync(url => url.Query.Contains("tz=", StringComparison.Ordinal), timeout: TimeSpan.FromSeconds(4));
        }
        catch (TimeoutException)
        {
            // No script, or nothing to change: the page stays as it is.
        }

        await Page.WaitForStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>The booking page reached from a profile (the browser is already there).</summary>
    public static async Task<BookingPage> ArrivedAsync(IPage page, string slug)
    {
        var booking = new BookingPage(page, slug);
        await booking.ExpectPathAsync(booking.Path);
        await booking.ZoneSettledAsync();
        return booking;
    }

    /// <summary>
    /// Picks the <paramref name="index"/>-th day with free times by keyboard (Tab from the top of the page, Enter) and
    /// waits for that day's times. Returns the day (yyyy-MM-dd).
    /// </summary>
    public async Task<string> ChooseDayByKeyboardAsync(int index)
    {
        var link = FreeDays.Nth(index);
        var day = await link.GetAttributeAsync("data-day") ?? throw new XunitException($"No free day number {index + 1}.");
        await TabToAsync(link, $"free day {day} in the calendar");
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForAddressAsync(url => url.Query.Contains("day=" + day, StringComparison.Ordinal));
        await Assertions.Expect(ChosenDay).ToHaveAttributeAsync("data-day", day);
        return day;
    }

    /// <summary>
    /// Picks the chosen day's <paramref name="index"/>-th time by keyboard (Tab on from where focus is, Enter) and waits for
    /// the details step. Returns the time as the day's list showed it.
    /// </summary>
    public async Task<SlotChoice> ChooseTimeByKeyboardAsync(int index)
    {
        var time = await ReadTimeAsync(Times.Nth(index));
        await TabOnToAsync(Times.Nth(index), $"the time {time.Label}");
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForAddressAsync(url => url.Query.Contains("start=", StringComparison.Ordinal));
        await Assertions.Expect(Form).ToBeVisibleAsync();
        return time;
    }

    /// <summary>A time link: its UTC start and end (data attributes) and its text ("09:30–10:15").</summary>
    public static async Task<SlotChoice> ReadTimeAsync(ILocator link)
    {
        var values = await link.EvaluateAsync<string[]>("a => [a.dataset.start, a.dataset.end, a.textContent.trim()]");
        return new SlotChoice("", values[0], values[1], values[2]);
    }

    /// <summary>Every time of the chosen day, in page order.</summary>
    public async Task<IReadOnlyList<SlotChoice>> AllTimesAsync()
    {
        var times = new List<SlotChoice>();
        foreach (var link in await Times.AllAsync())
        {
            times.Add(await ReadTimeAsync(link));
        }

        return times;
    }

    /// <summary>Tabs on through the details fields typing into each, as a visitor does after choosing a time.</summary>
    public async Task FillDetailsByKeyboardAsync(BookingDetails details)
    {
        await TypeIntoAsync(Name, details.Name, "the name field");
        await TypeIntoAsync(Email, details.Email, "the e-mail field");
        if (details.Company is not null)
        {
            await TypeIntoAsync(Company, details.Company, "the company field");
        }

        await TypeIntoAsync(Topic, details.Topic, "the topic field");
        if (details.Notes is not null)
        {
            await TypeIntoAsync(Notes, details.Notes, "the notes field");
        }
    }

    /// <summary>Tabs on to "Book consultation", presses Enter and expects the booking's manage page.</summary>
    public async Task<ManagePage> BookByKeyboardAsync()
    {
        await TabOnToAsync(BookButton, "the Book consultation button");
        await SubmitAndExpectRedirectAsync(() => Page.Keyboard.PressAsync("Enter"), ManagePage.PathPrefix, "Booking a consultation");
        return new ManagePage(Page);
    }

    /// <summary>Tabs on to "Book consultation" and presses Enter, expecting the form to be turned down (no redirect).</summary>
    public async Task SubmitExpectingErrorsAsync()
    {
        await TabOnToAsync(BookButton, "the Book consultation button");
        await Page.Keyboard.PressAsync("Enter");
    }
}

/// <summary>What a visitor types into the booking form; <see cref="For"/> makes the address unique to a test.</summary>
public sealed record BookingDetails(string Name, string Email, string? Company, string Topic, string? Notes)
{
    public static BookingDetails For(string name, string topic = "Our API is slow under load") =>
        new(name, $"visitor-{Guid.NewGuid():N}@example.org", "Acme Ltd", topic,
            "We run an ASP.NET Core API on PostgreSQL; p99 latency doubled after our last release.");
}
