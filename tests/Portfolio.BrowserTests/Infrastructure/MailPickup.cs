using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>
/// Reads the <c>.eml</c> files the app under test writes to its pickup folder (its default mail transport),
/// so a browser journey can check that its mail went out. Only as much MIME as the app's own messages use
/// (System.Net.Mail: nested multiparts, base64 or quoted-printable parts, RFC 2047 headers); no mail library
/// is referenced for that.
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

/// <summary>A mail from the pickup folder: top-level headers (RFC 2047 words decoded) and its leaf parts.</summary>
public sealed partial record PickedUpMail(string FileName, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<MailPart> Parts)
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

    /// <summary>Parses a whole message; null when it is incomplete (a multipart without its closing boundary).</summary>
    public static PickedUpMail? TryParse(string fileName, string text)
    {
        var parts = new List<MailPart>();
        var (headers, body) = SplitEntity(text);
        if (!TryCollectParts(headers, body, parts))
        {
            return null;
        }

        var decoded = headers.ToDictionary(pair => pair.Key, pair => DecodeWords(pair.Value), StringComparer.OrdinalIgnoreCase);
        return new PickedUpMail(fileName, decoded, parts);
    }

    private static (Dictionary<string, string> Headers, string Body) SplitEntity(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = end < 0 ? text : text[..end];
        var body = end < 0 ? "" : text[(end + 2)..];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? current = null;
        foreach (var line in head.Split('\n'))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && current is not null)
            {
                headers[current] += " " + line.Trim(); // a folded continuation line
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            // A repeated header (Received and the like) keeps its first value; its continuation lines are dropped.
            var name = line[..colon].Trim();
            current = headers.TryAdd(name, line[(colon + 1)..].Trim()) ? name : null;
        }

        return (headers, body);
    }

    private static bool TryCollectParts(Dictionary<string, string> headers, string body, List<MailPart> parts)
    {
        var contentType = headers.TryGetValue("Content-Type", out var type) ? type : "text/plain";
        var mediaType = contentType.Split(';')[0].Trim();
        if (!mediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            headers.TryGetValue("Content-Transfer-Encoding", out var encoding);
            parts.Add(new MailPart(mediaType, headers, Decode(body, encoding)));
            return true;
        }

        var boundary = BoundaryParameter().Match(contentType) is { Success: true } match ? match.Groups["value"].Value.Trim('"') : null;
        if (boundary is null)
        {
            return false;
        }

        var delimiter = "--" + boundary;
        var closing = body.IndexOf("\n" + delimiter + "--", StringComparison.Ordinal);
        if (closing < 0)
        {
            return false; // Not written to the end yet.
        }

        var sections = body[..closing].Split("\n" + delimiter, StringSplitOptions.None);
        // sections[0] is the preamble; each following one starts with the rest of its delimiter line.
        foreach (var section in sections.Skip(1))
        {
            var newline = section.IndexOf('\n', StringComparison.Ordinal);
            var entity = newline < 0 ? "" : section[(newline + 1)..];
            var (partHeaders, partBody) = SplitEntity(entity);
            if (!TryCollectParts(partHeaders, partBody, parts))
            {
                return false;
            }
        }

        return true;
    }

    private static string Decode(string body, string? transferEncoding)
    {
        switch (transferEncoding?.Trim().ToLowerInvariant())
        {
            case "base64":
                var compact = WhiteSpace().Replace(body, "");
                return Encoding.UTF8.GetString(Convert.FromBase64String(compact));
            case "quoted-printable":
                return DecodeQuotedPrintable(body.Replace("=\n", "", StringComparison.Ordinal), underscoreIsSpace: false);
            default:
                return body;
        }
    }

    private static string DecodeQuotedPrintable(string text, bool underscoreIsSpace)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (underscoreIsSpace && text[i] == '_')
            {
                bytes.Add((byte)' ');
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Decodes RFC 2047 encoded words (<c>=?utf-8?B?…?=</c>) in a header value.</summary>
    private static string DecodeWords(string value)
    {
        // Whitespace between two encoded words is not part of the text.
        var joined = BetweenEncodedWords().Replace(value, "?==?");
        return EncodedWord().Replace(joined, match =>
        {
            var charset = Encoding.GetEncoding(match.Groups["charset"].Value);
            var payload = match.Groups["text"].Value;
            return match.Groups["encoding"].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                ? charset.GetString(Convert.FromBase64String(payload))
                : DecodeQuotedPrintable(payload, underscoreIsSpace: true);
        });
    }

    [GeneratedRegex(@"boundary\s*=\s*(?<value>""[^""]+""|[^;\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryParameter();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"=\?(?<charset>[^?]+)\?(?<encoding>[BbQq])\?(?<text>[^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex BetweenEncodedWords();
}
