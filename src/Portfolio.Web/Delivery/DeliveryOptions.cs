using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Delivery;

/// <summary>The <c>Delivery</c> configuration section: the content delivery API at <c>/umbraco/delivery/api/v2</c>.</summary>
public sealed class DeliveryOptions : IValidatableObject
{
    public const string SectionName = "Delivery";

    /// <summary>
    /// The key a client sends in the <c>Api-Key</c> header to read drafts (<c>Preview: true</c>). Empty (the default):
    /// preview is off and every request reads published content only.
    /// </summary>
    public string PreviewApiKey { get; set; } = "";

    /// <summary>
    /// Origins (<c>https://app.example.com</c>) whose pages may read the API from a browser (CORS). Empty (the default):
    /// no other origin may; servers and apps without a browser's same-origin rule are not affected.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>The largest <c>take</c> of a query, and the most ids <c>/items</c> answers at once.</summary>
    [Range(1, 1000)] public int MaxTake { get; set; } = 100;

    /// <summary>How long a shared cache or a browser may reuse a published answer without asking again, in seconds (0: always revalidate).</summary>
    [Range(0, 86_400)] public int MaxAgeSeconds { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PreviewApiKey.Length is > 0 and < 32)
        {
            yield return new ValidationResult("Delivery:PreviewApiKey must be at least 32 characters (e.g. `openssl rand -base64 32`), or empty to turn preview off.",
                [nameof(PreviewApiKey)]);
        }

        foreach (var origin in AllowedOrigins)
        {
            if (!IsOrigin(origin))
            {
                yield return new ValidationResult($"Delivery:AllowedOrigins holds '{origin}', which is not an origin such as https://app.example.com (scheme and host, optionally a port; no path).",
                    [nameof(AllowedOrigins)]);
            }
        }
    }

    /// <summary>An origin as a browser sends it: http(s), a host, maybe a port, nothing else (a path would never match).</summary>
    internal static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Host.Length > 0
        && uri.GetLeftPart(UriPartial.Authority).Equals(value.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        && !value.EndsWith('/');
}

[OptionsValidator]
public sealed partial class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>;
