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

    public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);
}
