using System.Text;
using MimeKit;

namespace Portfolio.TestSupport;

/// <summary>
/// A mail as it arrived (a Maildir or pickup-folder file), parsed by MimeKit: header values decoded, and the leaf
/// MIME parts with their bodies decoded, in the shape the tests assert on.
/// </summary>
public sealed class ReceivedMail
{
    private ReceivedMail(string raw, MimeMessage message, string? fileName)
    {
        Raw = raw;
        Message = message;
        FileName = fileName;
        Headers = message.Headers.Select(header => new KeyValuePair<string, string>(header.Field, header.Value)).ToList();
        Parts = message.BodyParts.OfType<MimeKit.MimePart>().Select(ToPart).ToList();
    }

    public string Raw { get; }

    /// <summary>The file it was read from (a pickup folder's <c>.eml</c>), when it was read from one.</summary>
    public string? FileName { get; }

    /// <summary>The parsed message, for what the shape below does not cover (DKIM verification, say).</summary>
    public MimeMessage Message { get; }

    /// <summary>Top-level headers in order, values decoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Every leaf part (for a single-part mail, the mail itself).</summary>
    public IReadOnlyList<MimePart> Parts { get; }

    /// <summary>The Message-ID as it is in the header, with its angle brackets (as the outbox stores it).</summary>
    public string? MessageId => Message.MessageId is null ? null : $"<{Message.MessageId}>";

    /// <summary>The decoded value of the first header with this name.</summary>
    public string? Header(string name) => Message.Headers[name]?.Trim();

    public IEnumerable<string> HeaderNames => Headers.Select(header => header.Key);

    public string Subject => Header("Subject") ?? "";

    /// <summary>Whether the To header names <paramref name="address"/>.</summary>
    public bool IsTo(string address) => (Header("To") ?? "").Contains(address, StringComparison.OrdinalIgnoreCase);

    public MimePart? Part(string mediaType) =>
        Parts.FirstOrDefault(part => part.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase));

    public string PlainText => Part("text/plain")?.Text ?? "";

    /// <summary>The text/calendar part with its folded lines joined again (RFC 5545 §3.1), or null.</summary>
    public string? Calendar => Part("text/calendar")?.Text.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\n ", "", StringComparison.Ordinal);

    /// <summary>A property of the calendar part (<c>UID</c>, <c>SEQUENCE</c>, <c>DTSTART</c>), or null.</summary>
    public string? CalendarProperty(string name) =>
        Calendar?.Split('\n').Select(line => line.TrimEnd('\r'))
            .FirstOrDefault(line => line.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..];

    public static ReceivedMail Parse(string raw) => Parse(raw, fileName: null);

    public static ReceivedMail Parse(string raw, string? fileName)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(raw));
        return new ReceivedMail(raw, MimeMessage.Load(stream), fileName);
    }

    /// <summary>The part's bytes decoded in its charset, line ends as sent (TextPart.Text would turn CRLF into LF here).</summary>
    private static MimePart ToPart(MimeKit.MimePart part)
    {
        using var decoded = new MemoryStream();
        part.Content?.DecodeTo(decoded);
        var text = (part.ContentType.CharsetEncoding ?? Encoding.UTF8).GetString(decoded.ToArray());

        var headers = part.Headers.Select(header => new KeyValuePair<string, string>(header.Field, header.Value)).ToList();
        return new MimePart(part.ContentType.MimeType.ToLowerInvariant(), part.Headers[HeaderId.ContentType] ?? "", headers, text);
    }
}

/// <summary>One leaf MIME part: its media type, full Content-Type, headers and decoded text.</summary>
public sealed record MimePart(string MediaType, string ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers, string Text);
