using System.Collections;
using System.ComponentModel.DataAnnotations;

namespace Portfolio.Web.Content;

/// <summary>
/// Validates a document and every nested list item against their data annotations, returning errors
/// keyed by property path (<c>Faq[2].Question</c>) so an editor can see where to look.
/// </summary>
public static class DocumentValidator
{
    public static IReadOnlyDictionary<string, string[]> Validate(IDocument document)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        ValidateObject(document, prefix: "", errors);
        return errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }

    private static void ValidateObject(object value, string prefix, Dictionary<string, List<string>> errors)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                var key = prefix + member;
                if (!errors.TryGetValue(key, out var list))
                {
                    errors[key] = list = [];
                }

                list.Add(result.ErrorMessage ?? "Invalid value.");
            }
        }

        foreach (var property in value.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length > 0 || property.PropertyType == typeof(string))
            {
                continue;
            }

            if (IsNestedRecord(property.PropertyType))
            {
                if (property.GetValue(value) is { } nested)
                {
                    ValidateObject(nested, $"{prefix}{property.Name}.", errors);
                }

                continue;
            }

            if (!typeof(IEnumerable).IsAssignableFrom(property.PropertyType) || property.GetValue(value) is not IEnumerable items)
            {
                continue;
            }

            var index = 0;
            foreach (var item in items)
            {
                var itemPrefix = $"{prefix}{property.Name}[{index}]";
                if (item is string text)
                {
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        errors[itemPrefix] = ["Remove empty entries."];
                    }
                }
                else if (item is not null && IsNestedRecord(item.GetType()))
                {
                    ValidateObject(item, itemPrefix + ".", errors);
                }

                index++;
            }
        }
    }

    /// <summary>Our own nested value types (Stat, FaqEntry, Availability …), as opposed to strings, dates and numbers.</summary>
    private static bool IsNestedRecord(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace == typeof(IDocument).Namespace;
}
