using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Portfolio.Web.Content;

/// <summary>One field that differs between two versions; a side is null when the field exists only in the other one.</summary>
/// <param name="Path">The field as the validator and the editor name it, indexes from 0: <c>Faq[2].Answer</c>.</param>
/// <param name="Label">The same for people, counting from 1: <c>Faq 3 › Answer</c>.</param>
/// <param name="Before">The text in the older version; null when the field is new.</param>
/// <param name="After">The text in the newer version; null when the field was removed.</param>
public sealed record FieldChange(string Path, string Label, string? Before, string? After)
{
    public bool IsAdded => Before is null;
    public bool IsRemoved => After is null;
}

/// <summary>
/// Compares two documents of one type field by field, for any document type: each is flattened into
/// <c>path → text</c> pairs (nested records and lists included, <c>TrackRecord[1].Contributions[0]</c>) and the
/// pairs that differ are returned in the order the type declares its properties.
/// </summary>
public static class DocumentDiff
{
    public static IReadOnlyList<FieldChange> Compare(IDocument before, IDocument after)
    {
        if (before.GetType() != after.GetType())
        {
            throw new ArgumentException($"Cannot compare a {before.GetType().Name} with a {after.GetType().Name}.", nameof(after));
        }

        var left = Flatten(before);
        var right = Flatten(after);
        var changes = new List<FieldChange>();
        // Walk the union of paths in document order: the "before" order, then paths only the "after" side has, each after its neighbours.
        var order = MergeOrder(left.Keys.ToList(), right.Keys.ToList());
        foreach (var path in order)
        {
            var hadBefore = left.TryGetValue(path, out var beforeValue);
            var hasAfter = right.TryGetValue(path, out var afterValue);
            if (hadBefore && hasAfter && string.Equals(beforeValue!.Text, afterValue!.Text, StringComparison.Ordinal))
            {
                continue;
            }

            var label = (hadBefore ? beforeValue : afterValue)!.Label;
            changes.Add(new FieldChange(path, label, hadBefore ? beforeValue!.Text : null, hasAfter ? afterValue!.Text : null));
        }

        return changes;
    }

    private sealed record Leaf(string Label, string Text);

    private static Dictionary<string, Leaf> Flatten(object document)
    {
        var leaves = new Dictionary<string, Leaf>(StringComparer.Ordinal);
        Walk(document, "", "", leaves, depth: 0);
        return leaves;
    }

    private static void Walk(object? value, string path, string label, Dictionary<string, Leaf> leaves, int depth)
    {
        if (depth > 16)
        {
            // Documents are trees of records a few levels deep; anything deeper is a bug, not content.
            throw new InvalidOperationException($"{path} nests too deeply to compare.");
        }

        switch (value)
        {
            case null:
                leaves[path] = new Leaf(label, "");
                return;
            case string text:
                leaves[path] = new Leaf(label, text);
                return;
            case IFormattable formattable when IsScalar(value.GetType()):
                leaves[path] = new Leaf(label, Format(formattable));
                return;
            case bool flag:
                leaves[path] = new Leaf(label, flag ? "yes" : "no");
                return;
            case IEnumerable list:
                var index = 0;
                foreach (var element in list)
                {
                    Walk(element, $"{path}[{index}]", $"{label} {index + 1}", leaves, depth + 1);
                    index++;
                }

                // An empty list has no leaves: entries that exist on one side only show as added or removed.
                return;
        }

        foreach (var property in Properties(value.GetType()))
        {
            var name = property.Name;
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            var childLabel = label.Length == 0 ? Humanize(name) : $"{label} › {Humanize(name)}";
            Walk(property.GetValue(value), childPath, childLabel, leaves, depth + 1);
        }
    }

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetIndexParameters().Length == 0 && property.GetMethod is not null &&
                               !property.IsDefined(typeof(JsonIgnoreAttribute)) &&
                               // Records expose their compiler-made EqualityContract; it is not content.
                               property.Name != "EqualityContract")
            .OrderBy(property => property.MetadataToken);

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(DateOnly) || type == typeof(TimeOnly) ||
        type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(TimeSpan);

    private static string Format(IFormattable value) => value switch
    {
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
        _ => value.ToString(null, CultureInfo.InvariantCulture),
    };

    private static string Humanize(string name) => Backoffice.BackofficeText.Humanize(name);

    /// <summary>The paths of both sides in one order: each path of <paramref name="after"/> missing from <paramref name="before"/> goes after its predecessor.</summary>
    private static List<string> MergeOrder(List<string> before, List<string> after)
    {
        var order = new List<string>(before);
        var known = new HashSet<string>(before, StringComparer.Ordinal);
        var insertAt = 0;
        foreach (var path in after)
        {
            if (known.Contains(path))
            {
                insertAt = order.IndexOf(path) + 1;
                continue;
            }

            order.Insert(insertAt, path);
            known.Add(path);
            insertAt++;
        }

        return order;
    }
}
