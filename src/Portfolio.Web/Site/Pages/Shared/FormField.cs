using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Site.Pages.Shared;

public enum FormFieldKind
{
    Text,
    Email,
    TextArea,
}

/// <summary>
/// One labelled input of a public form, as <c>_FormField</c> renders it: label, hint, error, and the
/// HTML constraints (<c>required</c>, <c>maxlength</c>, <c>minlength</c>) that match the server's rules.
/// The messages the browser script shows come from <see cref="FieldErrors"/> itself, so an error reads
/// the same whether the script or the server found it.
/// </summary>
public sealed record FormField
{
    private FormField(string name, string id, string label)
    {
        Name = name;
        Id = id;
        Label = label;
    }

    /// <summary>The form field's name, as the server binds it (e.g. <c>email</c>).</summary>
    public string Name { get; }

    /// <summary>The element id, unique on the page (e.g. <c>contact-email</c>); error summaries link to it.</summary>
    public string Id { get; }

    public string Label { get; }

    public FormFieldKind Kind { get; private init; } = FormFieldKind.Text;
    public bool IsRequired { get; private init; }
    public int MaxLength { get; private init; }
    /// <summary>Above 1 only when the server asks for more than "not empty".</summary>
    public int MinLength { get; private init; }

    public string? Value { get; init; }
    public string? Error { get; init; }
    public string? Hint { get; init; }
    /// <summary>The <c>autocomplete</c> token, e.g. <c>name</c>, <c>email</c>, <c>organization</c>.</summary>
    public string? Autocomplete { get; init; }
    public int Rows { get; init; } = 6;
    /// <summary>Show a live character count (the script adds it; the hint says the limit without it).</summary>
    public bool ShowCounter { get; init; }

    public string? RequiredMessage { get; private init; }
    public string? TooShortMessage { get; private init; }
    public string? TooLongMessage { get; private init; }
    public string? EmailMessage { get; private init; }

    public string HintId => Id + "-hint";
    public string ErrorId => Id + "-error";

    /// <summary>The ids <c>aria-describedby</c> lists: the hint, then the error when there is one.</summary>
    public string? DescribedBy =>
        string.Join(' ', new[] { Hint is null ? null : HintId, Error is null ? null : ErrorId }.OfType<string>()) is { Length: > 0 } ids ? ids : null;

    /// <summary>A field <see cref="FieldErrors.Required"/> checks; <paramref name="ruleLabel"/> is the label its messages use ("your name").</summary>
    public static FormField Required(string name, string id, string label, string ruleLabel, int maxLength, int minLength = 1, FormFieldKind kind = FormFieldKind.Text) =>
        new(name, id, label)
        {
            Kind = kind,
            IsRequired = true,
            MaxLength = maxLength,
            MinLength = minLength,
            RequiredMessage = Message(errors => errors.Required("x", "", ruleLabel, maxLength, minLength)),
            TooShortMessage = minLength > 1 ? Message(errors => errors.Required("x", new string('x', minLength - 1), ruleLabel, maxLength, minLength)) : null,
            TooLongMessage = Message(errors => errors.Required("x", new string('x', maxLength + 1), ruleLabel, maxLength, minLength)),
        };

    /// <summary>A field <see cref="FieldErrors.Optional"/> checks.</summary>
    public static FormField Optional(string name, string id, string label, string ruleLabel, int maxLength, FormFieldKind kind = FormFieldKind.Text) =>
        new(name, id, label)
        {
            Kind = kind,
            MaxLength = maxLength,
            TooLongMessage = Message(errors => errors.Optional("x", new string('x', maxLength + 1), ruleLabel, maxLength)),
        };

    /// <summary>An address <see cref="FieldErrors.Email"/> checks (254 characters at most, as <see cref="TextInput.IsEmail"/>).</summary>
    public static FormField Email(string name, string id, string label) =>
        new(name, id, label)
        {
            Kind = FormFieldKind.Email,
            IsRequired = true,
            MaxLength = 254,
            Autocomplete = "email",
            RequiredMessage = Message(errors => errors.Email("x", "")),
            EmailMessage = Message(errors => errors.Email("x", "x")),
        };

    private static string Message(Action<FieldErrors> check)
    {
        var errors = new FieldErrors();
        check(errors);
        return errors.ToDictionary()["x"][0];
    }
}

/// <summary>The "There is a problem" box at the top of a form: every error, each linking to its field.</summary>
public sealed record ErrorSummary(IReadOnlyList<ErrorSummaryItem> Items)
{
    public static readonly ErrorSummary None = new([]);

    public bool Any => Items.Count > 0;
}

/// <summary>One error; <paramref name="Href"/> is <c>#field-id</c>, or null for an error that belongs to no field.</summary>
public sealed record ErrorSummaryItem(string Message, string? Href);

/// <summary>Service errors (keyed by the API's field names) as a page shows them.</summary>
public sealed class FormErrors(IReadOnlyDictionary<string, string[]> errors)
{
    public static readonly FormErrors None = new(new Dictionary<string, string[]>());

    public bool Any => errors.Count > 0;

    /// <summary>The first message for a field, or null.</summary>
    public string? For(string field) => errors.TryGetValue(field, out var messages) && messages.Length > 0 ? messages[0] : null;

    /// <summary>
    /// The summary in the order the fields appear on the page; <paramref name="fieldIds"/> maps each
    /// field name to the element its link moves focus to (null: no link).
    /// </summary>
    public ErrorSummary Summary(params (string Field, string? ElementId)[] fieldIds)
    {
        var items = new List<ErrorSummaryItem>();
        foreach (var (field, elementId) in fieldIds)
        {
            if (For(field) is { } message)
            {
                items.Add(new ErrorSummaryItem(message, elementId is null ? null : "#" + elementId));
            }
        }

        // Anything the page did not expect still reaches the visitor.
        var known = fieldIds.Select(pair => pair.Field).ToHashSet(StringComparer.Ordinal);
        items.AddRange(errors.Where(pair => !known.Contains(pair.Key)).SelectMany(pair => pair.Value).Select(message => new ErrorSummaryItem(message, null)));
        return new ErrorSummary(items);
    }
}
