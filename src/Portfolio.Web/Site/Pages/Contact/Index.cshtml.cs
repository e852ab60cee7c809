using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portfolio.Web.Contact;
using Portfolio.Web.Content;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Contact;

/// <summary>
/// <c>/contact</c>: the ContactPage content, the direct e-mail address and the message form. Not
/// output-cached: the form carries a per-visitor antiforgery token and a freshly signed timestamp.
/// A post that trips a spam trap is thanked like any other (a bot learns nothing) and stored as
/// suspected spam with the reason.
/// </summary>
[EnableRateLimiting(RateLimitingExtensions.ContactWrites)]
public sealed class IndexModel(ContactService contactMessages, ContactFormGuard guard) : SitePageModel
{
    [BindProperty(Name = "name")] public string? SenderName { get; set; }
    [BindProperty(Name = "email")] public string? Email { get; set; }
    [BindProperty(Name = "company")] public string? Company { get; set; }
    [BindProperty(Name = "subject")] public string? Subject { get; set; }
    [BindProperty(Name = "message")] public string? Message { get; set; }
    [BindProperty(Name = ContactFormGuard.HoneypotField)] public string? Honeypot { get; set; }
    /// <summary>When the form was first shown, signed; kept across a re-render so the time trap measures from the first view.</summary>
    [BindProperty(Name = "timestamp")] public string? Timestamp { get; set; }

    /// <summary>The sender's name and subject, carried through the redirect to say thank you by name.</summary>
    public string? SentName { get; private set; }
    public string? SentSubject { get; private set; }

    /// <summary>
    /// One TempData entry (the encrypted TempData cookie) holding both as JSON. Not two <c>[TempData] string</c>
    /// properties: TempData's serializer turns a string that looks like a date or a GUID back into one, and a subject
    /// such as "2026-12-06" then failed the cast on every later visit to the page (found by the fuzz test).
    /// </summary>
    private const string SentKey = "contact-sent";

    private sealed record SentMessage(string? Name, string? Subject);

    public ContactPage Contact { get; private set; } = new();

    /// <summary>The page's own address, else the site's; empty when neither is set.</summary>
    public string DirectEmail { get; private set; } = "";

    /// <summary>True on <c>/contact?sent=1</c>, the page after a message went through.</summary>
    public bool Sent { get; private set; }

    public IReadOnlyList<FormField> Fields { get; private set; } = [];
    public ErrorSummary Summary { get; private set; } = ErrorSummary.None;
    public string HoneypotField => ContactFormGuard.HoneypotField;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Sent = Request.Query.ContainsKey("sent");
        if (Sent && TempData[SentKey] is string json && System.Text.Json.JsonSerializer.Deserialize<SentMessage>(json) is { } sent)
        {
            (SentName, SentSubject) = (sent.Name, sent.Subject);
        }

        Timestamp = guard.IssueTimestamp();
        await ShowAsync(FormErrors.None, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var verdict = guard.Check(Honeypot, Timestamp);
        var result = await contactMessages.SubmitAsync(new ContactRequest(SenderName, Email, Company, Subject, Message), "form", verdict, cancellationToken);
        if (result is ContactResult.Invalid invalid)
        {
            if (string.IsNullOrEmpty(Timestamp))
            {
                Timestamp = guard.IssueTimestamp();
            }

            await ShowAsync(new FormErrors(invalid.Errors), cancellationToken);
            return Page();
        }

        TempData[SentKey] = System.Text.Json.JsonSerializer.Serialize(new SentMessage(TextInput.CleanOptional(SenderName), TextInput.CleanOptional(Subject)));
        return new SeeOtherResult("/contact?sent=1");
    }

    private async Task ShowAsync(FormErrors errors, CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        Contact = Published.Singleton<ContactPage>() ?? new ContactPage { Title = "Contact" };
        DirectEmail = string.IsNullOrWhiteSpace(Contact.DirectEmail) ? Settings.ContactEmail : Contact.DirectEmail;
        Describe(Contact.Title, Contact.MetaDescription, "/contact");
        if (Sent)
        {
            Meta.Title = $"Thank you for your message | {Settings.SiteName}";
            Meta.NoIndex = true;
        }

        Fields =
        [
            FormField.Required("name", "contact-name", "Your name", "your name", 100) with { Value = SenderName, Error = errors.For("name"), Autocomplete = "name" },
            FormField.Email("email", "contact-email", "E-mail address") with { Value = Email, Error = errors.For("email"), Hint = "We'll reply to this address." },
            FormField.Optional("company", "contact-company", "Company", "company", 100) with { Value = Company, Error = errors.For("company"), Autocomplete = "organization" },
            FormField.Required("subject", "contact-subject", "Subject", "a subject", 150) with { Value = Subject, Error = errors.For("subject"), Autocomplete = "off" },
            FormField.Required("message", "contact-message", "Message", "a message", 5000, minLength: 10, FormFieldKind.TextArea) with
            {
                Value = Message, Error = errors.For("message"), Rows = 8, ShowCounter = true,
                Hint = "What are you building, and how can we help? Between 10 and 5000 characters.",
            },
        ];
        Summary = errors.Summary(
            ("name", "contact-name"), ("email", "contact-email"), ("company", "contact-company"),
            ("subject", "contact-subject"), ("message", "contact-message"));
        if (Summary.Any)
        {
            Meta.Title = "Error: " + Meta.Title;
        }
    }
}
