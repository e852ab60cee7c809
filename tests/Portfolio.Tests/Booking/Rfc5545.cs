using System.Text;
using System.Text.RegularExpressions;

namespace Portfolio.Tests.Booking;

/// <summary>
/// A small RFC 5545 checker for every calendar the app writes: CRLF line ends, content lines of at most 75 octets folded
/// with a space or tab, well-formed content lines, balanced components, a VCALENDAR with one VERSION:2.0 and one PRODID,
/// a METHOD that is the expected one (or none), VEVENTs with one UID, DTSTAMP and DTSTART, DTEND after DTSTART, VALARMs
/// with ACTION and TRIGGER. Then the calendar must load in Ical.Net, a parser that is not ours.
/// </summary>
public static partial class Rfc5545
{
    /// <summary>Checks <paramref name="calendar"/>; <paramref name="method"/> null means a calendar without METHOD (a feed).</summary>
    public static void AssertValid(string calendar, string? method)
    {
        var problems = Problems(calendar, method);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n---\n" + calendar);
        var parsed = Ical.Net.Calendar.Load(calendar);
        Assert.NotNull(parsed);
        Assert.Equal(method, parsed!.Method);
    }

    public static List<string> Problems(string calendar, string? method)
    {
        var problems = new List<string>();
        if (!calendar.EndsWith("\r\n", StringComparison.Ordinal))
        {
            problems.Add("The calendar does not end in CRLF.");
        }

        if (calendar.Replace("\r\n", "", StringComparison.Ordinal).IndexOfAny(['\r', '\n']) >= 0)
        {
            problems.Add("A bare CR or LF: every line must end in CRLF.");
        }

        var physical = calendar.Split("\r\n");
        physical = physical[^1].Length == 0 ? physical[..^1] : physical;
        var lines = new List<string>();
        foreach (var line in physical)
        {
            var octets = Encoding.UTF8.GetByteCount(line);
            if (octets > 75)
            {
                problems.Add($"{octets} octets (more than 75): {line}");
            }

            if (line.Length == 0)
            {
                problems.Add("An empty line.");
            }
            else if (line[0] is ' ' or '\t')
            {
                if (lines.Count == 0)
                {
                    problems.Add("The calendar starts with a continuation line.");
                }
                else
                {
                    lines[^1] += line[1..];
                }
            }
            else
            {
                lines.Add(line);
            }
        }

        var stack = new Stack<(string Name, Dictionary<string, int> Properties, List<string> Values)>();
        var calendars = 0;
        foreach (var line in lines)
        {
            var match = ContentLine().Match(line);
            if (!match.Success)
            {
                problems.Add($"Not a content line (name *(;param) : value): {line}");
                continue;
            }

            var name = match.Groups["name"].Value.ToUpperInvariant();
            var value = match.Groups["value"].Value;
            if (name == "BEGIN")
            {
                if (stack.Count == 0 && value != "VCALENDAR")
                {
                    problems.Add($"BEGIN:{value} outside a VCALENDAR.");
                }

                calendars += value == "VCALENDAR" ? 1 : 0;
                stack.Push((value, new Dictionary<string, int>(StringComparer.Ordinal), []));
                continue;
            }

            if (name == "END")
            {
                if (stack.Count == 0 || stack.Peek().Name != value)
                {
                    problems.Add($"END:{value} does not close {(stack.Count == 0 ? "anything" : stack.Peek().Name)}.");
                    continue;
                }

                var (component, properties, values) = stack.Pop();
                problems.AddRange(CheckComponent(component, properties, values, method));
                continue;
            }

            if (stack.Count == 0)
            {
                problems.Add($"A property outside any component: {line}");
                continue;
            }

            var current = stack.Peek();
            current.Properties[name] = current.Properties.GetValueOrDefault(name) + 1;
            current.Values.Add(name + ":" + value);
        }

        if (stack.Count > 0)
        {
            problems.Add($"{stack.Peek().Name} is not closed.");
        }

        if (calendars != 1)
        {
            problems.Add($"{calendars} VCALENDARs (one expected).");
        }

        return problems;
    }

    private static IEnumerable<string> CheckComponent(string component, Dictionary<string, int> properties, List<string> values, string? method)
    {
        int Count(string name) => properties.GetValueOrDefault(name);
        string? Value(string name) => values.FirstOrDefault(v => v.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..];
        switch (component)
        {
            case "VCALENDAR":
                if (Count("VERSION") != 1 || Value("VERSION") != "2.0")
                {
                    yield return "VCALENDAR needs exactly one VERSION:2.0.";
                }

                if (Count("PRODID") != 1)
                {
                    yield return "VCALENDAR needs exactly one PRODID.";
                }

                if (method is null ? Count("METHOD") != 0 : Count("METHOD") != 1 || Value("METHOD") != method)
                {
                    yield return $"METHOD should be {method ?? "absent"}, is {Value("METHOD") ?? "absent"}.";
                }

                break;
            case "VEVENT":
                foreach (var required in new[] { "UID", "DTSTAMP", "DTSTART" })
                {
                    if (Count(required) != 1)
                    {
                        yield return $"VEVENT needs exactly one {required} (has {Count(required)}).";
                    }
                }

                if (Value("DTEND") is { } end && Value("DTSTART") is { } start && string.CompareOrdinal(end, start) <= 0)
                {
                    yield return $"DTEND {end} is not after DTSTART {start}.";
                }

                if (method is "REQUEST" or "CANCEL" && (Count("ORGANIZER") != 1 || Count("ATTENDEE") == 0))
                {
                    yield return "An iTIP REQUEST or CANCEL needs one ORGANIZER and at least one ATTENDEE.";
                }

                break;
            case "VALARM":
                if (Count("ACTION") != 1 || Count("TRIGGER") != 1)
                {
                    yield return "VALARM needs one ACTION and one TRIGGER.";
                }

                if (Value("ACTION") == "DISPLAY" && Count("DESCRIPTION") != 1)
                {
                    yield return "A DISPLAY alarm needs a DESCRIPTION.";
                }

                break;
        }
    }

    /// <summary>RFC 5545 3.1: name, parameters (quoted values without quotes or controls inside), a colon, the value.</summary>
    [GeneratedRegex("""^(?<name>[A-Za-z0-9-]+)(;[A-Za-z0-9-]+=("[^"\p{Cc}]*"|[^";:,\p{Cc}]*)(,("[^"\p{Cc}]*"|[^";:,\p{Cc}]*))*)*:(?<value>[^\p{Cc}]*)$""")]
    private static partial Regex ContentLine();
}
