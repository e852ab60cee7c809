using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Portfolio.Web.Content;
using Portfolio.Web.Email;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Webhooks;

namespace Portfolio.Web.Contact;

/// <summary>A contact message as sent, before cleaning and validation.</summary>
public sealed record ContactRequest(string? Name, string? Email, string? Company, string? Subject, string? Message);

/// <summary>What the spam checks of the form found (the API has no form, so no honeypot or time trap).</summary>
public sealed record SpamVerdict(string? Reason)
{
    public static readonly SpamVerdict Clean = new((string?)null);
}

public abstract record ContactResult
{
    public sealed record Accepted(Guid Id, bool Duplicate) : ContactResult;

    public sealed record Invalid(Dictionary<string, string[]> Errors) : ContactResult;
}

/// <summary>The <c>Contact</c> configuration section.</summary>
public sealed class ContactOptions
{
    public const string SectionName = "Contact";

    /// <summary>The same address sending the same text within this window is stored once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A form filled in faster than this is a bot.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MinimumFillTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A form older than this (its signed timestamp) is refused as stale or replayed.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MaximumFormAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>More links than this in one message marks it as suspected spam.</summary>
    [Range(0, 1000)]
    public int MaximumLinks { get; set; } = 3;
}

[OptionsValidator]
public sealed partial class ContactOptionsValidator : IValidateOptions<ContactOptions>;

/// <summary>
/// Stores contact messages and queues the owner's notification in the same transaction. Suspected spam
/// is stored too, marked with the reason, and not mailed; a resent duplicate is stored once.
/// </summary>
public sealed partial class ContactService(
    ContactMessageStore store,
    EmailOutbox outbox,
    WebhookOutbox webhooks,
    PublishedContentCache content,
    IOptionsMonitor<EmailOptions> emailOptions,
    IOptionsMonitor<ContactOptions> contactOptions,
    TimeProvider clock,
    PortfolioMetrics metrics,
    ILogger<ContactService> logger)
{
    public async Task<ContactResult> SubmitAsync(ContactRequest request, string source, SpamVerdict verdict, CancellationToken cancellationToken)
    {
        var name = TextInput.Clean(request.Name);
        var email = TextInput.Clean(request.Email);
        var company = TextInput.CleanOptional(request.Company);
        var subject = TextInput.Clean(request.Subject);
        var message = TextInput.Clean(request.Message, multiline: true);

        var errors = new FieldErrors();
        errors.Required("name", name, "your name", 100);
        errors.Email("email", email);
        errors.Optional("company", company, "company", 100);
        errors.Required("subject", subject, "a subject", 150);
        errors.Required("message", message, "a message", 5000, minLength: 10);
        if (errors.Any)
        {
            return new ContactResult.Invalid(errors.ToDictionary());
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var spamReason = verdict.Reason ?? ContentSpamReason(message);
        var stored = new ContactMessage
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Email = email,
            Company = company,
            Subject = subject,
            Message = message,
            Status = spamReason is null ? ContactMessageStatus.New : ContactMessageStatus.Spam,
            SpamReason = spamReason,
            Source = source,
            ContentHash = ContentHash(email, message),
            CreatedUtc = now,
        };
        var notification = spamReason is null ? await OwnerNotificationAsync(stored, cancellationToken) : null;
        var keptId = await store.StoreUnlessDuplicateAsync(stored, now - contactOptions.CurrentValue.DuplicateWindow,
            notification is null ? null : outbox.Create(notification), cancellationToken,
            // Held as spam: no event, as no mail (the owner sees it in the inbox's spam list).
            spamReason is null ? WebhookEvent.Message(now, stored.Id, source) : null);
        if (keptId != stored.Id)
        {
            LogDuplicate(logger, keptId);
            return new ContactResult.Accepted(keptId, Duplicate: true);
        }

        metrics.ContactMessageStored(source, spam: spamReason is not null);

        if (spamReason is null)
        {
            outbox.Wake();
            webhooks.Wake();
            LogStored(logger, stored.Id, source);
        }
        else
        {
            LogHeldAsSpam(logger, stored.Id, source, spamReason);
        }

        return new ContactResult.Accepted(stored.Id, Duplicate: false);
    }

    private async Task<EmailDraft> OwnerNotificationAsync(ContactMessage message, CancellationToken cancellationToken)
    {
        var snapshot = await content.GetAsync(cancellationToken);
        var siteName = snapshot.Singleton<SiteSettings>()?.SiteName ?? "TechNext";
        var rendered = new EmailTemplate($"New message: {message.Subject}")
            .Paragraph($"{message.Name} wrote through the contact {(message.Source == "api" ? "API" : "form")}.")
            .Fact("Name", message.Name)
            .Fact("E-mail", message.Email)
            .Fact("Company", message.Company)
            .Fact("Subject", message.Subject)
            .Quote(message.Message)
            .Paragraph("Reply to this mail to answer them directly.")
            .Render(siteName);
        return new EmailDraft("contact-notification", emailOptions.CurrentValue.OwnerAddress, "Owner", rendered, ReplyTo: message.Email);
    }

    private string? ContentSpamReason(string message)
    {
        var links = CountOccurrences(message, "http://") + CountOccurrences(message, "https://");
        return links > contactOptions.CurrentValue.MaximumLinks ? $"Contains {links} links" : null;
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.OrdinalIgnoreCase); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.OrdinalIgnoreCase))
        {
            count++;
        }

        return count;
    }

    /// <summary>Same person, same words: case and whitespace do not make a message new.</summary>
    internal static string ContentHash(string email, string message)
    {
        var normalized = email.ToLowerInvariant() + "\n" + string.Join(' ', message.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalized))).ToLowerInvariant();
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Contact message {MessageId} stored from {Source}")]
    private static partial void LogStored(ILogger logger, Guid messageId, string source);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Contact message {MessageId} from {Source} held as suspected spam: {Reason}")]
    private static partial void LogHeldAsSpam(ILogger logger, Guid messageId, string source, string reason);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Duplicate contact message ignored; already stored as {MessageId}")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId);
}
