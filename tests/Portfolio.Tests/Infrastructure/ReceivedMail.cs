using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// A mail as it arrived (a Maildir or pickup-folder file), read just far enough for tests: header lines
/// as they are on the wire, decoded header values, and the MIME parts with their bodies decoded.
/// (MimeKit is not served here; this reads what System.Net.Mail writes.)
/// </summary>
public sealed partial class ReceivedMail
{
    private ReceivedMail(string raw, List<KeyValuePair<string, string>> headers, List<MimePart> parts)
    {
        Raw = raw;
        Headers = headers;
        Parts = parts;
    }

    public string Raw { get; }

    /// <summary>Top-level headers in order, unfolded (continuation lines joined), values still encoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Every leaf part (for a single-part mail, the mail itself).</summary>
    public IReadOnlyList<MimePart> Parts { get; }

    public string? MessageId => Header("Message-ID");

    /// <summary>The decoded value of the first header with this name (RFC 2047 encoded words decoded).</summary>
    public string? Header(string name) =>
        Headers.Where(header => header.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(header => DecodeWords(header.Value).Trim())
            .FirstOrDefault();

    public IEnumerable<string> HeaderNames => Headers.Select(header => header.Key);

    public MimePart? Part(string mediaType) =>
        Parts.FirstOrDefault(part => part.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase));

    public static ReceivedMail Parse(string raw)
    {
        var (headers, body) = SplitHeaders(raw);
        var parts = new List<MimePart>();
        CollectParts(headers, body, parts);
        return new ReceivedMail(raw, headers, parts);
    }

    private static void CollectParts(List<KeyValuePair<string, string>> headers, string body, List<MimePart> parts)
    {
        var contentType = Value(headers, "Content-Type") ?? "text/plain";
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType.StartsWith("multipart/", StringComparison.Ordinal))
        {
            var boundary = Parameter(contentType, "boundary") ?? throw new FormatException("A multipart without a boundary.");
            foreach (var section in SplitMultipart(body, boundary))
            {
                var (partHeaders, partBody) = SplitHeaders(section);
                CollectParts(partHeaders, partBody, parts);
            }

            return;
        }

        var encoding = (Value(headers, "Content-Transfer-Encoding") ?? "7bit").Trim().ToLowerInvariant();
        var bytes = encoding switch
        {
            "base64" => Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c)))),
            "quoted-printable" => DecodeQuotedPrintable(body),
            _ => Encoding.UTF8.GetBytes(body),
        };
        var charset = Parameter(contentType, "charset");
        var text = (charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset)).GetString(bytes);
        parts.Add(new MimePart(mediaType, contentType, headers, text));
    }

    private static (List<KeyValuePair<string, string>> Headers, string Body) SplitHeaders(string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var end = normalized.IndexOf("\n\n", StringComparison.Ordinal);
        var head = end < 0 ? normalized : normalized[..end];
        var body = end < 0 ? "" : normalized[(end + 2)..];
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in head.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if ((line[0] == ' ' || line[0] == '\t') && headers.Count > 0)
            {
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + " " + line.Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        return (headers, body);
    }

    private static IEnumerable<string> SplitMultipart(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var sections = body.Split('\n').Aggregate(new List<StringBuilder?> { null }, (list, line) =>
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed == delimiter)
            {
                list.Add(new StringBuilder());
            }
            else if (trimmed == delimiter + "--")
            {
                list.Add(null);
            }
            else
            {
                list[^1]?.Append(line).Append('\n');
            }

            return list;
        });
        return sections.Where(section => section is not null).Select(section => section!.ToString());
    }

    private static string? Value(List<KeyValuePair<string, string>> headers, string name) =>
        headers.Where(header => header.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(header => header.Value).FirstOrDefault();

    private static string? Parameter(string headerValue, string name)
    {
        foreach (var piece in headerValue.Split(';').Skip(1))
        {
            var equals = piece.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && piece[..equals].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return piece[(equals + 1)..].Trim().Trim('"');
            }
        }

        return null;
    }

    private static byte[] DecodeQuotedPrintable(string body)
    {
        var bytes = new List<byte>();
        var text = body.Replace("=\n", "", StringComparison.Ordinal);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else if (text[i] == '\n')
            {
                bytes.Add((byte)'\r');
                bytes.Add((byte)'\n');
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return [.. bytes];
    }

    /// <summary>RFC 2047: "=?utf-8?B?...?=" and "=?utf-8?Q?...?="; whitespace between encoded words is dropped.</summary>
    private static string DecodeWords(string value)
    {
        var joined = AdjacentEncodedWords().Replace(value, "?==?");
        return EncodedWord().Replace(joined, match =>
        {
            var encoding = Encoding.GetEncoding(match.Groups["charset"].Value);
            var payload = match.Groups["text"].Value;
            var bytes = match.Groups["kind"].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                ? Convert.FromBase64String(payload)
                : DecodeQuotedPrintable(payload.Replace('_', ' '));
            return encoding.GetString(bytes);
        });
    }

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex AdjacentEncodedWords();

    [GeneratedRegex(@"=\?(?<charset>[^?]+)\?(?<kind>[BbQq])\?(?<text>[^?]*)\?=")]
    private static partial Regex EncodedWord();
}

/// <summary>One leaf MIME part: its media type, full Content-Type, headers and decoded text.</summary>
public sealed record MimePart(string MediaType, string ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers, string Text);
