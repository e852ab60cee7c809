using System.Diagnostics;
using System.Text;
using MimeKit;
using Xunit.Sdk;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>
/// Reads the <c>.eml</c> files the app under test writes to its pickup folder (its default mail transport),
/// so a browser journey can check that its mail went out.
/// </summary>
public static class MailPickup
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Waits until a mail matching <paramref name="match"/> is in <paramref name="directory"/> and returns it.
    /// The dispatcher sends right after the request's commit, but on its own thread: the file comes a moment
    /// after the page has answered, so the folder is polled. Fails listing what did arrive.
    /// </summary>
    public static async Task<PickedUpMail> WaitForAsync(string directory, Func<PickedUpMail, bool> match, string description, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        IReadOnlyList<PickedUpMail> mails = [];
        while (true)
        {
            mails = ReadAll(directory);
            var found = mails.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (deadline.Elapsed > (timeout ?? DefaultTimeout))
            {
                var arrived = mails.Count == 0
                    ? "none"
                    : string.Join('\n', mails.Select(mail => $"  {mail.FileName}: to {mail.Header("To")}, \"{mail.Subject}\""));
                throw new XunitException(
                    $"No mail {description} arrived in {directory} within {(timeout ?? DefaultTimeout).TotalSeconds:0} s. Mails there:\n{arrived}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Every complete mail in the folder, oldest first; a file still being written is skipped.</summary>
    public static IReadOnlyList<PickedUpMail> ReadAll(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var mails = new List<PickedUpMail>();
        foreach (var file in new DirectoryInfo(directory).GetFiles("*.eml").OrderBy(file => file.LastWriteTimeUtc))
        {
            try
            {
                using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                if (PickedUpMail.TryParse(file.Name, reader.ReadToEnd()) is { } mail)
                {
                    mails.Add(mail);
                }
            }
            catch (IOException)
            {
                // Being written or moved right now: the next poll reads it.
            }
        }

        return mails;
    }
}

/// <summary>One leaf part of a mail: its media type (<c>text/calendar</c>), headers and decoded text.</summary>
public sealed record MailPart(string MediaType, IReadOnlyDictionary<string, string> Headers, string Text);

/// <summary>A mail from the pickup folder, parsed by MimeKit: top-level headers (decoded) and its leaf parts.</summary>
public sealed record PickedUpMail(string FileName, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<MailPart> Parts)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    public string Subject => Header("Subject");

    /// <summary>Whether the To header names <paramref name="address"/>.</summary>
    public bool IsTo(string address) => Header("To").Contains(address, StringComparison.OrdinalIgnoreCase);

    public MailPart? Part(string mediaType) => Parts.FirstOrDefault(part => part.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase));

    public string PlainText => Part("text/plain")?.Text ?? "";

    /// <summary>The text/calendar part with its folded lines joined again (RFC 5545 §3.1), or null.</summary>
    public string? Calendar => Part("text/calendar")?.Text.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\n ", "", StringComparison.Ordinal);

    /// <summary>A property of the calendar part (<c>UID</c>, <c>SEQUENCE</c>, <c>DTSTART</c>), or null.</summary>
    public string? CalendarProperty(string name) =>
        Calendar?.Split('\n').Select(line => line.TrimEnd('\r'))
            .FirstOrDefault(line => line.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..];

    /// <summary>Parses a whole message (the app moves a finished file into the folder, so none is half written).</summary>
    public static PickedUpMail? TryParse(string fileName, string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return null;
        }

        var parts = message.BodyParts.OfType<MimePart>().Select(part => new MailPart(
            part.ContentType.MimeType,
            HeaderDictionary(part.Headers),
            Decoded(part))).ToList();
        return new PickedUpMail(fileName, HeaderDictionary(message.Headers), parts);
    }

    /// <summary>A repeated header (Received and the like) keeps its first value.</summary>
    private static Dictionary<string, string> HeaderDictionary(HeaderList headers)
    {
        var dictionary = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
        {
            dictionary.TryAdd(header.Field, header.Value.Trim());
        }

        return dictionary;
    }

    /// <summary>The part's bytes decoded in its charset, line ends as sent (TextPart.Text would turn CRLF into LF here).</summary>
    private static string Decoded(MimePart part)
    {
        using var decoded = new MemoryStream();
        part.Content?.DecodeTo(decoded);
        return (part.ContentType.CharsetEncoding ?? Encoding.UTF8).GetString(decoded.ToArray());
    }
}
