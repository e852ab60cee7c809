using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;
using Portfolio.Web.Content;

namespace Portfolio.Web.Search;

/// <summary>What the index holds of one published document: the title and the text a visitor can read on its page.</summary>
public sealed record SearchableDocument(string Title, string Body);

/// <summary>
/// A document's searchable text, found the same way for every document type (so a type added later, a general page
/// built from blocks or a case study, is searchable without a change here): every string it holds, in nested records
/// and lists too, Markdown read as plain text, except what a visitor never reads as prose (addresses, slugs, image
/// paths, e-mail addresses, time zones). The title is the document's <see cref="IDocument.DisplayName"/>.
/// </summary>
public static class SearchableText
{
    /// <summary>More than any sample document holds; a cap keeps one huge document from bloating the index.</summary>
    public const int MaxBodyLength = 50_000;

    /// <summary>Marks around a highlighted word in what the databases return; never stored in the index, so never in content.</summary>
    public const char MarkStart = '\u27E6';
    public const char MarkEnd = '\u27E7';

    public static SearchableDocument Of(IDocument document, MarkdownRenderer markdown)
    {
        var body = new StringBuilder();
        Collect(document, markdown, body, depth: 0);
        var text = Clean(body.ToString());
        return new SearchableDocument(Clean(document.DisplayName), text.Length <= MaxBodyLength ? text : text[..MaxBodyLength]);
    }

    /// <summary>Whitespace folded, the highlight marks removed (so a mark in a result is always the database's).</summary>
    public static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (c is MarkStart or MarkEnd)
            {
                continue;
            }

            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static void Collect(object value, MarkdownRenderer markdown, StringBuilder body, int depth)
    {
        // Documents are shallow records; the depth bound only guards against a cycle a future type might bring.
        if (depth > 8)
        {
            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(JsonIgnoreAttribute)) || IsNotProse(property))
            {
                continue;
            }

            switch (property.GetValue(value))
            {
                case string text when text.Length > 0:
                    body.Append(IsMarkdown(property) ? markdown.ToPlainText(text) : text).Append('\n');
                    break;
                case string:
                    break;
                case IEnumerable items:
                    foreach (var item in items)
                    {
                        if (item is string text)
                        {
                            body.Append(text).Append('\n');
                        }
                        else if (item is not null && IsRecord(item.GetType()))
                        {
                            Collect(item, markdown, body, depth + 1);
                        }
                    }

                    break;
                case { } nested when IsRecord(nested.GetType()):
                    Collect(nested, markdown, body, depth + 1);
                    break;
            }
        }
    }

    private static bool IsRecord(Type type) => type.IsClass && type.Namespace?.StartsWith("Portfolio.Web", StringComparison.Ordinal) == true;

    private static bool IsMarkdown(PropertyInfo property) =>
        property.GetCustomAttribute<DataTypeAttribute>()?.CustomDataType == DocumentDataTypes.Markdown;

    private static bool IsNotProse(PropertyInfo property)
    {
        var dataType = property.GetCustomAttribute<DataTypeAttribute>();
        if (dataType is not null && (dataType.DataType is DataType.ImageUrl or DataType.Url or DataType.EmailAddress ||
                                     dataType.CustomDataType == DocumentDataTypes.TimeZone))
        {
            return true;
        }

        var name = property.Name;
        return property.IsDefined(typeof(EmailAddressAttribute)) || property.GetCustomAttributes().Any(a => a.GetType().Name.Contains("Email", StringComparison.Ordinal)) ||
               name.EndsWith("Slug", StringComparison.Ordinal) || name.EndsWith("Slugs", StringComparison.Ordinal) ||
               name.EndsWith("Url", StringComparison.Ordinal) || name.EndsWith("Alt", StringComparison.Ordinal) ||
               name is "Email" or "TimeZone" or "Key" or "Services" or "Experts" or "Availability" or "BookingTypes" or "MetaDescription";
    }
}
