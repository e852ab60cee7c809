using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Email;

/// <summary>
/// Builds the MIME message for an outbox row with MimeKit: plain text and HTML as alternatives and, for bookings, the
/// invitation as a <c>text/calendar; method=…</c> alternative (what calendar programs act on) plus an <c>invite.ics</c>
/// attachment (what the rest show). Everything a retry could change is taken from the row: the Message-ID and the
/// Date are the ones it was queued with, so every attempt sends the very same message. Signed with DKIM when
/// <c>Email:Dkim</c> is configured.
/// </summary>
public sealed class MimeMessageFactory
{
    private static readonly HeaderId[] SignedHeaders =
    [
        HeaderId.From, HeaderId.To, HeaderId.ReplyTo, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId,
        HeaderId.MimeVersion, HeaderId.ContentType,
    ];

    private readonly MailboxAddress _from;
    private readonly DkimSigner? _signer;

    public MimeMessageFactory(IOptions<EmailOptions> options, PortfolioPaths paths)
    {
        var settings = options.Value;
        _from = MailboxAddress.Parse(settings.From);
        if (settings.Dkim.Enabled)
        {
            var keyPath = Path.GetFullPath(Path.Combine(paths.ContentRoot, settings.Dkim.PrivateKeyPath));
            _signer = new DkimSigner(keyPath, settings.Dkim.Domain, settings.Dkim.Selector, DkimSignatureAlgorithm.RsaSha256)
            {
                // Relaxed canonicalization survives the whitespace and folding changes relays are known to make.
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
        }
    }

    public MimeMessage Create(EmailOutboxMessage mail)
    {
        var message = new MimeMessage
        {
            Subject = HeaderSafe(mail.Subject),
            Date = new DateTimeOffset(DateTime.SpecifyKind(mail.CreatedUtc, DateTimeKind.Utc)),
            // Stored with its angle brackets (as it appears in the header); MimeKit adds them itself.
            MessageId = mail.MessageId.Trim().TrimStart('<').TrimEnd('>'),
            Body = Body(mail),
        };
        // A new address per message, never the shared one: an address list subscribes to its addresses' Changed
        // events, so a long-lived address added to every message kept every message alive (the load test's instances
        // grew by about 0.5 MB a second, ~19,000 messages held in 5 minutes, before this).
        message.From.Add(new MailboxAddress(_from.Name, _from.Address));
        message.To.Add(new MailboxAddress(HeaderSafe(mail.ToName), mail.ToAddress));
        if (!string.IsNullOrEmpty(mail.ReplyTo))
        {
            message.ReplyTo.Add(MailboxAddress.Parse(mail.ReplyTo));
        }

        // Seven-bit transfer encodings from the start: the same bytes over every server (with or without 8BITMIME) and
        // into the pickup folder, and a DKIM body hash that no relay's re-encoding can break.
        message.Prepare(EncodingConstraint.SevenBit);
        _signer?.Sign(message, SignedHeaders);
        return message;
    }

    private static MimeEntity Body(EmailOutboxMessage mail)
    {
        var alternatives = new MultipartAlternative
        {
            Text("plain", mail.TextBody),
            Text("html", mail.HtmlBody),
        };
        if (mail.Calendar is null)
        {
            return alternatives;
        }

        var invitation = Text("calendar", mail.Calendar);
        invitation.ContentType.Parameters.Add("method", mail.CalendarMethod ?? "REQUEST");
        // RFC 5545 content lines end in CRLF; base64 keeps those bytes through every store that rewrites line ends
        // (quoted-printable's hard line breaks become whatever a mailbox writes, LF in a Maildir).
        invitation.ContentTransferEncoding = ContentEncoding.Base64;
        alternatives.Add(invitation);

        var attachment = new MimePart("application", "ics")
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(mail.Calendar))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "invite.ics",
        };
        return new Multipart("mixed") { alternatives, attachment };
    }

    private static TextPart Text(string subtype, string text)
    {
        var part = new TextPart(subtype);
        part.SetText(Encoding.UTF8, text);
        return part;
    }

    /// <summary>Header values never carry CR or LF, whatever reached the outbox (no header injection).</summary>
    public static string HeaderSafe(string value) =>
        string.Create(value.Length, value, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        }).Trim();
}
