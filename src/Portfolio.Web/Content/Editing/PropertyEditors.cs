using System.Collections.Concurrent;
using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

namespace Portfolio.Web.Content.Editing;

/// <summary>Which form control edits a property.</summary>
public enum PropertyEditorKind
{
    /// <summary>A one-line text input.</summary>
    Text,
    /// <summary>A textarea: strings long enough that one line is too short.</summary>
    TextArea,
    /// <summary>A textarea with a server-side rendered preview.</summary>
    Markdown,
    /// <summary>A path to an uploaded image (<c>[DataType(DataType.ImageUrl)]</c>).</summary>
    MediaPath,
    /// <summary>An IANA time zone: a select of the common zones (<c>[DataType(DocumentDataTypes.TimeZone)]</c>).</summary>
    TimeZone,
    Email,
    Number,
    Checkbox,
    /// <summary>A select of an enum's values.</summary>
    Choice,
    Date,
    Time,
    /// <summary>A list of strings, dates or numbers: one input per item.</summary>
    ScalarList,
    /// <summary>A list of nested records (stats, FAQ entries …): a fieldset per item.</summary>
    RecordList,
    /// <summary>A nested record (an expert's availability): its properties in a fieldset.</summary>
    Record,
}

/// <summary>
/// One editable property of a document type or nested record, found by reflection: the control that edits it
/// (<see cref="Kind"/>), its label and hint, and the limits its attributes declare. For lists, <see cref="ItemType"/>
/// is the item type and, for lists of strings, dates or numbers, <see cref="ItemKind"/> the control of one item.
/// </summary>
public sealed record EditorProperty(
    PropertyInfo Property, PropertyEditorKind Kind, string Label, string? Hint, bool Required,
    int? MaxLength, double? Minimum, double? Maximum, Type? ItemType, PropertyEditorKind? ItemKind)
{
    public string Name => Property.Name;

    public Type Type => Property.PropertyType;
}

/// <summary>
/// Chooses the editor for every property of a document type, driven by the record's own declarations
/// (type, <c>[StringLength]</c>, <c>[Range]</c>, <c>[Required]</c>, <c>[DataType]</c>). A new document type or
/// property needs no backoffice code. <see cref="Choose"/> is the one place that maps a property to a control:
/// plug a new control (the media picker) in there and in <c>_PropertyEditor.cshtml</c>.
/// </summary>
public static class PropertyEditors
{
    /// <summary>Strings allowed at least this long get a textarea rather than a one-line input.</summary>
    public const int TextAreaFromLength = 300;

    private static readonly ConcurrentDictionary<Type, IReadOnlyList<EditorProperty>> Cache = new();

    /// <summary>The editable properties of a record, in declaration order.</summary>
    public static IReadOnlyList<EditorProperty> Of(Type type) => Cache.GetOrAdd(type, static type =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanRead && property.CanWrite && property.GetIndexParameters().Length == 0 &&
                               !property.IsDefined(typeof(JsonIgnoreAttribute)))
            .OrderBy(property => property.MetadataToken)
            .Select(Describe)
            .ToList());

    /// <summary>The seam: which control edits this property. Unknown shapes fail loudly rather than silently lose data.</summary>
    public static PropertyEditorKind Choose(PropertyInfo property)
    {
        var type = property.PropertyType;
        if (type == typeof(string))
        {
            var dataType = property.GetCustomAttribute<DataTypeAttribute>();
            if (dataType?.DataType == DataType.ImageUrl)
            {
                return PropertyEditorKind.MediaPath;
            }

            if (dataType?.CustomDataType == DocumentDataTypes.Markdown)
            {
                return PropertyEditorKind.Markdown;
            }

            if (dataType?.CustomDataType == DocumentDataTypes.TimeZone)
            {
                return PropertyEditorKind.TimeZone;
            }

            if (property.IsDefined(typeof(OptionalEmailAttribute)) || property.IsDefined(typeof(EmailAddressAttribute)))
            {
                return PropertyEditorKind.Email;
            }

            var length = property.GetCustomAttribute<StringLengthAttribute>()?.MaximumLength ?? 0;
            return length >= TextAreaFromLength && !property.Name.EndsWith("Url", StringComparison.Ordinal)
                ? PropertyEditorKind.TextArea
                : PropertyEditorKind.Text;
        }

        if (IsScalar(type))
        {
            return ScalarKind(type);
        }

        if (ListItemType(type) is { } itemType)
        {
            return IsScalar(itemType) ? PropertyEditorKind.ScalarList : PropertyEditorKind.RecordList;
        }

        if (IsRecord(type))
        {
            return PropertyEditorKind.Record;
        }

        throw new NotSupportedException($"No editor for {property.DeclaringType?.Name}.{property.Name} ({type.Name}).");
    }

    /// <summary>Strings, numbers, booleans, enums, dates and times: what one form field holds.</summary>
    public static bool IsScalar(Type type) =>
        type == typeof(string) || type == typeof(int) || type == typeof(bool) || type.IsEnum ||
        type == typeof(DateOnly) || type == typeof(TimeOnly);

    /// <summary>The item type of a <c>List&lt;T&gt;</c>, or null.</summary>
    public static Type? ListItemType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    /// <summary>Our own nested records (Stat, Availability …), as the validator sees them.</summary>
    public static bool IsRecord(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace == typeof(IDocument).Namespace && !typeof(IEnumerable).IsAssignableFrom(type);

    /// <summary>A new, empty item for a list: what "Add" appends.</summary>
    public static object NewItem(Type itemType) =>
        itemType == typeof(string) ? "" : Activator.CreateInstance(itemType)
                                          ?? throw new InvalidOperationException($"Cannot create a {itemType.Name}.");

    private static PropertyEditorKind ScalarKind(Type type) =>
        type == typeof(string) ? PropertyEditorKind.Text
        : type == typeof(int) ? PropertyEditorKind.Number
        : type == typeof(bool) ? PropertyEditorKind.Checkbox
        : type.IsEnum ? PropertyEditorKind.Choice
        : type == typeof(DateOnly) ? PropertyEditorKind.Date
        : PropertyEditorKind.Time;

    private static EditorProperty Describe(PropertyInfo property)
    {
        var kind = Choose(property);
        var range = property.GetCustomAttribute<RangeAttribute>();
        var itemType = ListItemType(property.PropertyType);
        var display = property.GetCustomAttribute<DisplayAttribute>();
        return new EditorProperty(
            property,
            kind,
            display?.GetName() ?? BackofficeText.Humanize(property.Name),
            display?.GetDescription() ?? DefaultHint(kind),
            property.IsDefined(typeof(RequiredAttribute)),
            property.GetCustomAttribute<StringLengthAttribute>()?.MaximumLength,
            range is null ? null : Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture),
            range is null ? null : Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture),
            itemType,
            itemType is not null && IsScalar(itemType) ? ScalarKind(itemType) : null);
    }

    private static string? DefaultHint(PropertyEditorKind kind) => kind switch
    {
        PropertyEditorKind.Markdown => "Markdown: **bold**, *italic*, [a link](https://example.com), ## headings, - lists. Raw HTML is not allowed.",
        PropertyEditorKind.MediaPath => "The path of an uploaded image, e.g. /media/3f2a9c.jpg. Leave empty for none.",
        _ => null,
    };
}
