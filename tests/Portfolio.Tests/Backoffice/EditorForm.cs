using System.Net;
using AngleSharp.Dom;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Backoffice;

/// <summary>
/// A form as a browser would submit it: every successful control (inputs, checked boxes, textareas, selected
/// options, hidden fields and the antiforgery token) in document order, editable by name, posted with the button
/// a test presses (its name/value and its <c>formaction</c>). Used for the content editor's big generic form.
/// </summary>
public sealed class EditorForm
{
    private readonly IElement _form;
    private readonly List<KeyValuePair<string, string>> _values;

    private EditorForm(IElement form, string pagePath)
    {
        _form = form;
        PagePath = pagePath;
        _values = [.. Controls(form)];
    }

    public string PagePath { get; }

    public IDocument Page => _form.Owner!;

    public static async Task<EditorForm> OpenAsync(HttpClient client, string path, string selector = "form#editor-form")
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode} {response.Headers.Location}.");
        return From(Html.Parse(await response.Content.ReadAsStringAsync()), path, selector);
    }

    public static EditorForm From(IDocument document, string path, string selector = "form#editor-form") =>
        new(document.QuerySelector(selector) ?? throw new InvalidOperationException($"{path} has no {selector}."), path);

    public string? this[string name]
    {
        get => _values.Where(pair => pair.Key == name).Select(pair => pair.Value).FirstOrDefault();
        set
        {
            var index = _values.FindIndex(pair => pair.Key == name);
            Assert.True(index >= 0, $"The form has no field {name}.");
            _values[index] = new(name, value ?? "");
        }
    }

    public IReadOnlyList<string> Names => [.. _values.Select(pair => pair.Key).Distinct()];

    public EditorForm Without(string name)
    {
        _values.RemoveAll(pair => pair.Key == name);
        return this;
    }

    /// <summary>Posts the form as the button with this text (or name=value) would.</summary>
    public async Task<HttpResponseMessage> PressAsync(HttpClient client, string buttonText)
    {
        var button = _form.QuerySelectorAll("button").FirstOrDefault(b => b.TextContent.Trim() == buttonText || $"{b.GetAttribute("name")}={b.GetAttribute("value")}" == buttonText)
                     ?? throw new InvalidOperationException($"No button '{buttonText}' in the form; there are: {string.Join(", ", _form.QuerySelectorAll("button").Select(b => b.TextContent.Trim()))}.");
        var values = new List<KeyValuePair<string, string>>(_values);
        if (button.GetAttribute("name") is { Length: > 0 } name)
        {
            values.Add(new(name, button.GetAttribute("value") ?? ""));
        }

        var action = button.GetAttribute("formaction") ?? _form.GetAttribute("action") ?? PagePath;
        var fragment = action.IndexOf('#', StringComparison.Ordinal);
        return await client.PostAsync(fragment < 0 ? action : action[..fragment], new FormUrlEncodedContent(values));
    }

    /// <summary>Posts and parses the page that comes back (a re-rendered form: list buttons, refused saves).</summary>
    public async Task<EditorForm> PressAndReloadAsync(HttpClient client, string buttonText)
    {
        var response = await PressAsync(client, buttonText);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"'{buttonText}' answered {(int)response.StatusCode} {response.Headers.Location}.");
        return From(Html.Parse(await response.Content.ReadAsStringAsync()), PagePath);
    }

    private static IEnumerable<KeyValuePair<string, string>> Controls(IElement form)
    {
        foreach (var control in form.QuerySelectorAll("input[name], textarea[name], select[name]"))
        {
            var name = control.GetAttribute("name")!;
            switch (control.LocalName)
            {
                case "textarea":
                    yield return new(name, control.TextContent.StartsWith('\n') ? control.TextContent[1..] : control.TextContent);
                    break;
                case "select":
                    var selected = control.QuerySelector("option[selected]") ?? control.QuerySelector("option");
                    yield return new(name, selected?.GetAttribute("value") ?? "");
                    break;
                default:
                    var type = control.GetAttribute("type") ?? "text";
                    if (type is "checkbox" or "radio" && !control.HasAttribute("checked"))
                    {
                        continue;
                    }

                    if (type is "submit" or "button")
                    {
                        continue;
                    }

                    yield return new(name, control.GetAttribute("value") ?? (type is "checkbox" ? "on" : ""));
                    break;
            }
        }
    }
}
