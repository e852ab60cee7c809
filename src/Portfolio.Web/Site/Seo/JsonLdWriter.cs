using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portfolio.Web.Site.Seo;

/// <summary>
/// Serialises JSON-LD for a <c>&lt;script type="application/ld+json"&gt;</c> block. The default encoder
/// escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, so content can never close the script element.
/// </summary>
public static class JsonLdWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(object value) => JsonSerializer.Serialize(Compact(value), Options);

    /// <summary>Drops null and empty values from the dictionaries the JSON-LD builders make.</summary>
    private static object? Compact(object? value) => value switch
    {
        IDictionary<string, object?> map => map
            .Select(pair => (pair.Key, Value: Compact(pair.Value)))
            .Where(pair => pair.Value is not null && pair.Value is not "")
            .ToDictionary(pair => pair.Key, pair => pair.Value),
        object?[] items => items.Select(Compact).ToArray(),
        _ => value,
    };
}
