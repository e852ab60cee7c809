using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Portfolio.Web.Content.Editing;

/// <summary>
/// A named group of a document type's properties, shown as one collapsible section of the editor (Umbraco's groups).
/// </summary>
public sealed record EditorGroup(string Name, IReadOnlyList<EditorProperty> Properties)
{
    public string Id => "group-" + Slugs.From(Name);

    /// <summary>Whether a field path (<c>TrackRecord[1].Role</c>) belongs to one of this group's properties.</summary>
    public bool Holds(string? path) => path is not null && Properties.Any(property =>
        path == property.Name
        || path.StartsWith(property.Name + ".", StringComparison.Ordinal)
        || path.StartsWith(property.Name + "[", StringComparison.Ordinal));
}

/// <summary>
/// The groups a document type declares: <c>[Display(GroupName = "…")]</c> on the first property of each group; the
/// properties after it belong to it until the next one names another group. A type that names none is one group, which
/// the editor shows without a section around it.
/// </summary>
public static class EditorGroups
{
    /// <summary>The name of the properties before the first declared group.</summary>
    public const string DefaultName = "Content";

    private static readonly ConcurrentDictionary<Type, IReadOnlyList<EditorGroup>> Cache = new();

    public static IReadOnlyList<EditorGroup> Of(Type type) => Cache.GetOrAdd(type, static type =>
    {
        var groups = new List<(string Name, List<EditorProperty> Properties)>();
        foreach (var property in PropertyEditors.Of(type))
        {
            var named = property.Property.GetCustomAttribute<DisplayAttribute>()?.GroupName;
            if (groups.Count == 0 || (named is not null && named != groups[^1].Name))
            {
                groups.Add((named ?? DefaultName, []));
            }

            groups[^1].Properties.Add(property);
        }

        return groups.Select(group => new EditorGroup(group.Name, group.Properties)).ToList();
    });

    /// <summary>
    /// Open when it is the first, or holds a field with an error or the list a button just changed (a closed section
    /// would hide what the editor has to look at next); the others start closed so that a long type stays short.
    /// </summary>
    public static bool IsOpen(IReadOnlyList<EditorGroup> groups, int index, DocumentEditorState state) =>
        index == 0 || state.Errors.Keys.Any(groups[index].Holds) || groups[index].Holds(state.CommandPath);
}
