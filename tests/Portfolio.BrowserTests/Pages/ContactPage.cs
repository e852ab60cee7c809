using System.Diagnostics;
using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>
/// The contact page at <c>/contact</c>: the form <c>#contact-message-form</c> in <c>section#contact-form</c>,
/// with a character counter under the message. After sending, <c>/contact?sent=1</c> shows the thank-you in
/// <c>#contact-form</c>, focused.
/// </summary>
public sealed class ContactPage(IPage page) : FormPage(page)
{
    public const string Path = "/contact";

    /// <summary>
    /// The form's time trap marks a message sent within 3 s of the page being shown as spam (stored, never
    /// mailed). A person takes longer; a test waits at least this long after the page loaded.
    /// </summary>
    public static readonly TimeSpan TimeTrap = TimeSpan.FromSeconds(3.5);

    private readonly Stopwatch _shown = Stopwatch.StartNew();

    public static async Task<ContactPage> OpenAsync(IPage page)
    {
        await GotoAsync(page, Path);
        return new ContactPage(page);
    }

    /// <summary>The form's section, and after sending the thank-you (same id, so <c>/contact#contact-form</c> finds either).</summary>
    public ILocator Section => Page.Locator("section#contact-form");

    public ILocator Form => Page.Locator("#contact-message-form");

    public ILocator Name => Page.Locator("#contact-name");

    public ILocator Email => Page.Locator("#contact-email");

    public ILocator Company => Page.Locator("#contact-company");

    public ILocator Subject => Page.Locator("#contact-subject");

    public ILocator Message => Page.Locator("#contact-message");

    /// <summary>"You have 4,990 characters remaining" (shown with script only).</summary>
    public ILocator Counter => Page.Locator("#contact-message-counter");

    /// <summary>The submit button; it reads "Send message", and "Sending…" while the form is on its way.</summary>
    public ILocator SendButton => Form.Locator("button[type='submit']");

    public ILocator ThankYouHeading => Section.Locator("h2");

    public ILocator SentText => Page.Locator("#contact-sent-text");

    /// <summary>Tabs on through the fields typing into each.</summary>
    public async Task FillByKeyboardAsync(ContactMessage message)
    {
        await TypeIntoAsync(Name, message.Name, "the name field");
        await TypeIntoAsync(Email, message.Email, "the e-mail field");
        if (message.Company is not null)
        {
            await TypeIntoAsync(Company, message.Company, "the company field");
        }

        await TypeIntoAsync(Subject, message.Subject, "the subject field");
        await TypeIntoAsync(Message, message.Text, "the message field");
    }

    /// <summary>Waits out the rest of the time trap, so that the message counts as a person's.</summary>
    public async Task WaitOutTimeTrapAsync()
    {
        var left = TimeTrap - _shown.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    /// <summary>
    /// Tabs on to "Send message", presses Enter and expects the thank-you page. <paramref name="whileSending"/> runs
    /// after the key press, before the server's answer is awaited.
    /// </summary>
    public async Task SendByKeyboardAsync()
    {
        await TabOnToAsync(SendButton, "the Send message button");
        await SubmitAndExpectRedirectAsync(() => Page.Keyboard.PressAsync("Enter"), Path, "Sending a message");
    }

    /// <summary>Tabs on to "Send message" and presses Enter, expecting the form to be turned down.</summary>
    public async Task SendExpectingErrorsAsync()
    {
        await TabOnToAsync(SendButton, "the Send message button");
        await Page.Keyboard.PressAsync("Enter");
    }
}

/// <summary>What a visitor writes through the contact form; <see cref="For"/> makes the address and text unique to a test.</summary>
public sealed record ContactMessage(string Name, string Email, string? Company, string Subject, string Text)
{
    /// <summary>
    /// A message nobody sent before: the site stores the same address and text within minutes only once, and a
    /// test finds its own mail by the address.
    /// </summary>
    public static ContactMessage For(string name, string subject)
    {
        var id = Guid.NewGuid().ToString("N");
        return new(name, $"sender-{id}@example.org", "Acme Ltd", subject,
            $"We're moving a monolith to services and would like a second opinion on the data model. Reference {id[..8]}.");
    }
}
