namespace Portfolio.Web.Media;

/// <summary>
/// The model of the backoffice's media picker partial, <c>Areas/Backoffice/Pages/Shared/_MediaPicker.cshtml</c>.
/// The picker posts the chosen image's URL (<c>/media/{name}</c>) under <paramref name="Name"/>, or an empty string
/// for "no image".
/// </summary>
/// <param name="Name">The form field's name, e.g. <c>Document.PhotoUrl</c>.</param>
/// <param name="Id">A page-unique id; the fieldset gets it, each option's radio button <c>{Id}-{suffix}</c>.</param>
/// <param name="Label">The fieldset's legend, e.g. "Photo".</param>
/// <param name="Value">The current URL; kept (and checked) even when it is not an offered library image.</param>
public sealed record MediaPickerField(string Name, string Id, string Label, string? Value);
