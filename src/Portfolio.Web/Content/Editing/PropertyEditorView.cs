namespace Portfolio.Web.Content.Editing;

/// <summary>
/// What <c>_PropertyEditor.cshtml</c> renders: one property of a document (or of a nested item) with its value,
/// its path (the field's name) and its label; list items' labels say which item they are ("Skills, item 2").
/// </summary>
public sealed record PropertyEditorView(EditorProperty Property, object? Value, string Path, string Label, DocumentEditorState State)
{
    public string Id => DocumentFormNames.Id(Path);

    public string Name => DocumentFormNames.Name(Path);

    public string? Error => State.ErrorFor(Path);

    public string ErrorId => Id + "-error";

    public string HintId => Id + "-hint";

    public string? Hint => Property.Hint;

    public string DisplayValue => DocumentForm.Display(Value, Path, State);

    /// <summary>The ids a control points at with <c>aria-describedby</c>, or null.</summary>
    public string? DescribedBy =>
        string.Join(' ', new[] { Hint is null ? null : HintId, Error is null ? null : ErrorId }.OfType<string>()) is { Length: > 0 } ids ? ids : null;

    /// <summary>A button's target: the command handler, scrolled back to this property.</summary>
    public string CommandAction => State.CommandAction + "#" + Id;

    /// <summary>The view of a nested property of a record at <paramref name="recordPath"/>.</summary>
    public static PropertyEditorView Of(EditorProperty property, object record, string recordPath, DocumentEditorState state) =>
        new(property, property.Property.GetValue(record), recordPath.Length == 0 ? property.Name : $"{recordPath}.{property.Name}", property.Label, state);
}
