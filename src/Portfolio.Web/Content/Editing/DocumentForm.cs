using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

namespace Portfolio.Web.Content.Editing;

/// <summary>
/// Field names of the generic editor. A field is named after its property path as <see cref="DocumentValidator"/>
/// reports it (<c>Faq[2].Question</c>, <c>Availability.Windows[0].Start</c>) behind a prefix, so the validator's
/// errors land next to their fields without any mapping.
/// </summary>
public static partial class DocumentFormNames
{
    public const string Prefix = "Document.";

    public static string Name(string path) => Prefix + path;

    /// <summary>An HTML id for a path: <c>Faq[2].Question</c> → <c>field-Faq-2-Question</c>.</summary>
    public static string Id(string path) => path.Length == 0 ? "editor-form" : "field-" + NotIdCharacters().Replace(path, "-").Trim('-');

    /// <summary>A path as people read it: <c>TrackRecord[0].Contributions[2]</c> → "Track record, item 1 › Contributions, item 3".</summary>
    public static string Describe(string path) => string.Join(" › ", path.Split('.').Select(segment =>
    {
        var match = IndexedSegment().Match(segment);
        return match.Success
            ? $"{BackofficeText.Humanize(match.Groups["name"].Value)}, item {int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture) + 1}"
            : BackofficeText.Humanize(segment);
    }));

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NotIdCharacters();

    [GeneratedRegex(@"^(?<name>\w+)\[(?<index>\d{1,4})\]$")]
    private static partial Regex IndexedSegment();
}

/// <summary>What the editor renders besides the document: errors by path, raw text that did not parse, Markdown previews.</summary>
public sealed class DocumentEditorState
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>What the user typed where it could not be read (a number field holding "ten"): shown back as typed.</summary>
    public Dictionary<string, string> RawValues { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, HtmlString> Previews { get; } = new(StringComparer.Ordinal);

    /// <summary>Where list and preview buttons post (the page's "Command" handler).</summary>
    public string CommandAction { get; set; } = "";

    /// <summary>The field path a list or preview button just changed: its section of the editor stays open.</summary>
    public string? CommandPath { get; set; }

    public string? ErrorFor(string path) => Errors.TryGetValue(path, out var messages) ? string.Join(" ", messages) : null;

    public void AddErrors(IReadOnlyDictionary<string, string[]> errors)
    {
        foreach (var (path, messages) in errors)
        {
            // A value that did not parse explains itself better than what validation says of its placeholder.
            Errors.TryAdd(path, messages);
        }
    }
}

/// <summary>
/// Reads a document back from the posted editor form (every property, nested records and lists included) and
/// applies the list buttons (add, remove, move up, move down) to it. Nothing the user typed is dropped: values
/// that do not parse are kept as typed in <see cref="DocumentEditorState.RawValues"/> with an error.
/// </summary>
public static partial class DocumentForm
{
    public static IDocument Read(Type documentType, IFormCollection form, DocumentEditorState state)
    {
        var reader = new Reader(form, state);
        return (IDocument)reader.ReadRecord(documentType, "");
    }

    /// <summary>The value a field shows: the raw text if it did not parse, else the value formatted for its input.</summary>
    public static string Display(object? value, string path, DocumentEditorState state) =>
        state.RawValues.TryGetValue(path, out var raw) ? raw : value switch
        {
            null => "",
            string text => text,
            int number => number.ToString(CultureInfo.InvariantCulture),
            DateOnly date => date == default ? "" : date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            TimeOnly time => time.ToString("HH:mm", CultureInfo.InvariantCulture),
            Enum choice => choice.ToString(),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };

    /// <summary>
    /// Applies a list command from a button: <c>add:Stats</c>, <c>remove:Stats[2]</c>, <c>up:Stats[2]</c>,
    /// <c>down:Stats[2]</c>. Returns the path of the list it changed (to scroll back to), or null when the command is not one.
    /// </summary>
    public static string? ApplyListCommand(object document, string command)
    {
        var separator = command.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0)
        {
            return null;
        }

        var verb = command[..separator];
        var target = command[(separator + 1)..];
        if (verb == "add")
        {
            // A list of blocks names the kind to add after a second colon: add:Blocks:faq.
            var kindSeparator = target.IndexOf(':', StringComparison.Ordinal);
            var kindAlias = kindSeparator < 0 ? null : target[(kindSeparator + 1)..];
            target = kindSeparator < 0 ? target : target[..kindSeparator];
            if (Navigate(document, target) is not { } list)
            {
                return null;
            }

            var itemType = PropertyEditors.ListItemType(list.GetType())!;
            if (BlockTypes.IsPolymorphic(itemType))
            {
                if (kindAlias is null || BlockTypes.ByAlias(kindAlias) is not { } kind)
                {
                    return null;
                }

                itemType = kind.ClrType;
            }

            list.Add(PropertyEditors.NewItem(itemType));
            return target;
        }

        var item = ItemPath().Match(target);
        if (!item.Success || Navigate(document, item.Groups["list"].Value) is not { } items ||
            !int.TryParse(item.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ||
            index >= items.Count)
        {
            return null;
        }

        switch (verb)
        {
            case "remove":
                items.RemoveAt(index);
                break;
            case "up" when index > 0:
                Swap(items, index, index - 1);
                break;
            case "down" when index < items.Count - 1:
                Swap(items, index, index + 1);
                break;
            case "up" or "down":
                break;
            default:
                return null;
        }

        return item.Groups["list"].Value;
    }

    /// <summary>The value at a property path such as <c>TrackRecord[1].Contributions</c>, when it is a list.</summary>
    public static object? ValueAt(object root, string path)
    {
        object? current = root;
        foreach (var segment in path.Split('.'))
        {
            var match = Segment().Match(segment);
            if (current is null || !match.Success)
            {
                return null;
            }

            current = current.GetType().GetProperty(match.Groups["name"].Value)?.GetValue(current);
            if (match.Groups["index"].Success)
            {
                var index = int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture);
                current = current is IList list && index < list.Count ? list[index] : null;
            }
        }

        return current;
    }

    private static IList? Navigate(object root, string listPath) =>
        ValueAt(root, listPath) is IList list && PropertyEditors.ListItemType(list.GetType()) is not null ? list : null;

    private static void Swap(IList items, int a, int b) => (items[a], items[b]) = (items[b], items[a]);

    [GeneratedRegex(@"^(?<list>.+)\[(?<index>\d{1,4})\]$")]
    private static partial Regex ItemPath();

    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z0-9]*)(\[(?<index>\d{1,4})\])?$")]
    private static partial Regex Segment();

    private sealed class Reader(IFormCollection form, DocumentEditorState state)
    {
        private readonly string[] _keys = [.. form.Keys.Where(key => key.StartsWith(DocumentFormNames.Prefix, StringComparison.Ordinal))];

        public object ReadRecord(Type type, string prefix)
        {
            var instance = Activator.CreateInstance(type) ?? throw new InvalidOperationException($"Cannot create a {type.Name}.");
            foreach (var property in PropertyEditors.Of(type))
            {
                var path = prefix + property.Name;
                object? value = property.Kind switch
                {
                    PropertyEditorKind.Record => ReadRecord(property.Type, path + "."),
                    PropertyEditorKind.RecordList when BlockTypes.IsPolymorphic(property.ItemType!) => ReadBlocks(property, path),
                    PropertyEditorKind.RecordList => ReadList(property, path, index => ReadRecord(property.ItemType!, $"{path}[{index}].")),
                    PropertyEditorKind.ScalarList => ReadList(property, path, index => ReadScalar(property.ItemType!, $"{path}[{index}]", multiline: false)),
                    _ => ReadScalar(property.Type, path, property.Kind is PropertyEditorKind.TextArea or PropertyEditorKind.Markdown),
                };
                property.Property.SetValue(instance, value);
            }

            return instance;
        }

        private IList ReadList(EditorProperty property, string path, Func<int, object> readItem)
        {
            var list = (IList)Activator.CreateInstance(property.Type)!;
            var opening = DocumentFormNames.Name(path) + "[";
            var indices = _keys
                .Where(key => key.StartsWith(opening, StringComparison.Ordinal))
                .Select(key => IndexAfter(key, opening.Length))
                .Where(index => index is >= 0 and < 1000)
                .Distinct()
                .Order();
            foreach (var index in indices)
            {
                // Items are renumbered 0..n-1, so errors and raw values move with them only when nothing was skipped.
                list.Add(readItem(index));
            }

            return list;
        }

        /// <summary>
        /// A list of blocks: each item's kind comes from its hidden <c>$type</c> field. An item whose kind is unknown
        /// (a tampered form) is dropped with an error on the list rather than guessed.
        /// </summary>
        private IList ReadBlocks(EditorProperty property, string path)
        {
            var list = (IList)Activator.CreateInstance(property.Type)!;
            var unknown = false;
            var read = ReadList(property, path, index =>
            {
                var alias = form[DocumentFormNames.Name($"{path}[{index}].{BlockTypes.Discriminator}")].FirstOrDefault() ?? "";
                if (BlockTypes.ByAlias(alias) is not { } kind)
                {
                    unknown = true;
                    return null!;
                }

                return ReadRecord(kind.ClrType, $"{path}[{index}].");
            });
            foreach (var item in read)
            {
                if (item is not null)
                {
                    list.Add(item);
                }
            }

            if (unknown)
            {
                state.Errors[path] = ["A block of an unknown kind was left out."];
            }

            return list;
        }

        private static int IndexAfter(string key, int start)
        {
            var end = key.IndexOf(']', start);
            return end > start && int.TryParse(key.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;
        }

        private object ReadScalar(Type type, string path, bool multiline)
        {
            var values = form[DocumentFormNames.Name(path)];
            var text = (values.FirstOrDefault() ?? "").ReplaceLineEndings("\n");
            if (type == typeof(string))
            {
                return multiline ? text.TrimEnd() : text.Trim();
            }

            if (type == typeof(bool))
            {
                return values.Contains("true");
            }

            text = text.Trim();
            if (type == typeof(int))
            {
                return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                    ? number
                    : Fail(path, text, 0, "Enter a whole number, e.g. 45.");
            }

            if (type.IsEnum)
            {
                return Enum.TryParse(type, text, ignoreCase: false, out var choice) && Enum.IsDefined(type, choice!)
                    ? choice!
                    : Fail(path, text, Activator.CreateInstance(type)!, "Choose one of the options.");
            }

            if (type == typeof(DateOnly))
            {
                return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? date
                    : Fail(path, text, default(DateOnly), "Enter a date as YYYY-MM-DD.");
            }

            if (type == typeof(TimeOnly))
            {
                return TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                    ? time
                    : Fail(path, text, default(TimeOnly), "Enter a time as HH:MM (24-hour).");
            }

            throw new NotSupportedException($"No form reader for {type.Name}.");
        }

        private object Fail(string path, string text, object placeholder, string message)
        {
            state.RawValues[path] = text;
            state.Errors[path] = [message];
            return placeholder;
        }
    }
}
