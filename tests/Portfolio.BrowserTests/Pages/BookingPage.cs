using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>
/// An expert's booking page at <c>/team/{slug}/book</c>: the time zone select (<c>#booking-tz</c>), the free
/// times (<c>#booking-slots</c>) and the details form <c>#booking-form</c>. Success redirects to the booking's
/// manage page (<see cref="ManagePage"/>).
/// </summary>
public sealed class BookingPage : FormPage
{
    /// <summary>Sample experts that take bookings: Talha works in Europe/London, Maya in Europe/Stockholm.</summary>
    public const string Talha = "talha";
    public const string TalhaTimeZone = "Europe/London";
    public const string Maya = "maya-lindqvist";
    public const string MayaTimeZone = "Europe/Stockholm";

    public BookingPage(IPage page, string slug)
        : base(page)
    {
        Slug = slug;
        Slots = new SlotList(this, "booking");
    }

    public string Slug { get; }

    public string Path => $"/team/{Slug}/book";

    public SlotList Slots { get; }

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
        return new BookingPage(page, slug);
    }

    /// <summary>The booking page reached from a profile (the browser is already there).</summary>
    public static async Task<BookingPage> ArrivedAsync(IPage page, string slug)
    {
        var booking = new BookingPage(page, slug);
        await booking.ExpectPathAsync(booking.Path);
        return booking;
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
