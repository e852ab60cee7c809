using System.Text;
using System.Text.RegularExpressions;

namespace Portfolio.Web.Booking;

/// <summary>
/// A booking's manage link, <c>/bookings/manage/{token}</c>, is a bearer secret: whoever has it may cancel or move the
/// meeting. The token lives in the client's mail and nowhere else (the booking keeps its hash). Everything that would
/// otherwise carry it on, such as log events, spans, the outbox row of a sent mail and the owner's view of the outbox,
/// shows it as <see cref="Redacted"/> instead. An expert's calendar feed, <c>/bookings/calendar/{token}</c>
/// (<see cref="ExpertCalendarFeeds"/>), is a secret of the same kind and is redacted the same way.
/// </summary>
public static partial class ManageLinks
{
    public const string PathPrefix = "/bookings/manage/";

    /// <summary>The path with the token replaced; what the request log already said (tests/bench read it).</summary>
    public const string Redacted = PathPrefix + "{token}";

    /// <summary>A calendar feed's path with the token replaced.</summary>
    public const string RedactedFeed = ExpertCalendarFeeds.PathPrefix + "{token}";

    /// <summary>
    /// Shortest token taken for a secret; the real ones have 43 characters. A shorter one is no booking's, and replacing it
    /// everywhere in an event would only garble the line.
    /// </summary>
    private const int MinimumSecretLength = 16;

    /// <summary>The path of a manage page (routing ignores case, so neither does this), with any token in it replaced.</summary>
    public static string RedactPath(PathString path) =>
        path.StartsWithSegments("/bookings/manage", StringComparison.OrdinalIgnoreCase, out var rest) && rest.HasValue
            ? Redacted
            : path.StartsWithSegments("/bookings/calendar", StringComparison.OrdinalIgnoreCase, out var feed) && feed.HasValue
                ? RedactedFeed
                : path.Value ?? "/";

    /// <summary>
    /// The token a request to a manage page carries, or null: its first segment after <c>/bookings/manage/</c>. It shows
    /// up bare in some framework events (a handler's arguments, route values), where no pattern could recognise it.
    /// </summary>
    public static string? TokenOf(PathString path)
    {
        if (!(path.StartsWithSegments("/bookings/manage", StringComparison.OrdinalIgnoreCase, out var rest)
              || path.StartsWithSegments("/bookings/calendar", StringComparison.OrdinalIgnoreCase, out rest)) || !rest.HasValue)
        {
            return null;
        }

        var segment = rest.Value.AsSpan(1);
        var end = segment.IndexOf('/');
        var token = end < 0 ? segment : segment[..end];
        return token.Length >= MinimumSecretLength ? token.ToString() : null;
    }

    /// <summary>Whether <paramref name="text"/> holds a manage link, or the given bare <paramref name="token"/>.</summary>
    public static bool Contains(string text, string? token = null) =>
        text.Contains(PathPrefix, StringComparison.OrdinalIgnoreCase)
        || text.Contains(ExpertCalendarFeeds.PathPrefix, StringComparison.OrdinalIgnoreCase) || (token is not null && text.Contains(token, StringComparison.Ordinal));

    /// <summary>
    /// <paramref name="text"/> with every manage link's token (and the bare <paramref name="token"/>, if given) replaced by
    /// <paramref name="placeholder"/>; the same instance when there is none, so callers can tell whether anything changed.
    /// </summary>
    public static string Redact(string text, string? token = null, string placeholder = "{token}")
    {
        if (!Contains(text, token))
        {
            return text;
        }

        var redacted = LinkToken().Replace(text, match => match.Groups[1].Value + placeholder);
        if (token is not null)
        {
            redacted = redacted.Replace(token, placeholder, StringComparison.Ordinal);
        }

        return redacted == text ? text : redacted;
    }

    /// <summary>
    /// An iCalendar text with every manage link's token replaced. Its lines are folded at 75 octets, which may break a
    /// link anywhere, so it is unfolded first and folded again after.
    /// </summary>
    public static string RedactCalendar(string calendar)
    {
        var unfolded = calendar.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal);
        var redacted = Redact(unfolded);
        if (ReferenceEquals(redacted, unfolded))
        {
            return calendar;
        }

        var builder = new StringBuilder(redacted.Length + 16);
        var lines = redacted.Split("\r\n");
        // A calendar ends with CRLF, which leaves one empty element after the last line; only that one is skipped.
        foreach (var line in lines[^1].Length == 0 ? lines[..^1] : lines)
        {
            CalendarInvitation.Fold(builder, line);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The path's prefix, then the token: anything up to the end of the path (a query, a fragment, a space, a quote or the
    /// end of an HTML attribute). A placeholder matches too, so redacting twice changes nothing.
    /// </summary>
    [GeneratedRegex(@"(/bookings/(?:manage|calendar)/)[^/?#\s""'<>&\\]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LinkToken();
}
