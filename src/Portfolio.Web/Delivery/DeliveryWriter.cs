using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Portfolio.Web.Content;
using Portfolio.Web.Media;

namespace Portfolio.Web.Delivery;

/// <summary>An item's address: its public path and the root it hangs under (Umbraco's start item).</summary>
public sealed record DeliveryRoute(string? Path, DeliveryStartItem? StartItem);

public sealed record DeliveryStartItem(Guid Id, string Path);

/// <summary>One content item in Umbraco's Delivery API shape.</summary>
public sealed record DeliveryContent(
    string ContentType, string Name, DateTimeOffset CreateDate, DateTimeOffset UpdateDate, DeliveryRoute Route, Guid Id,
    JsonObject Properties, JsonObject Cultures);

/// <summary>A page of a query's items and how many there are in all.</summary>
public sealed record DeliveryPage(int Total, IReadOnlyList<DeliveryContent> Items);

/// <summary>
/// Turns documents into the Delivery API's JSON, property by property, as Umbraco's property editors deliver theirs:
/// Markdown as sanitized HTML (<c>{ markup, blocks }</c>, like the rich-text editor), library images as media objects
/// (url, size, focal point, crops), blocks as a block list (<c>{ items: [ { content: { contentType, properties } } ] }</c>),
/// and references to other items (by slug in our documents) as links to those items, expanded when asked.
/// </summary>
public sealed class DeliveryWriter(DeliveryIndex index, MarkdownRenderer markdown, MediaLibrary media)
{
    /// <summary>
    /// Properties that hold slugs of other items, and the type they point to. Our documents store references as slugs; the
    /// API gives the items themselves, as Umbraco's content picker does. A slug of an item that is not readable (unpublished,
    /// binned, unknown) is left out, as Umbraco leaves out a picked item that is not published.
    /// </summary>
    private static readonly Dictionary<(Type Type, string Property), string> Links = new()
    {
        [(typeof(ExpertProfile), nameof(ExpertProfile.Services))] = "service",
        [(typeof(CaseStudy), nameof(CaseStudy.Experts))] = "expertProfile",
        [(typeof(CaseStudy), nameof(CaseStudy.Services))] = "service",
        [(typeof(HomePage), nameof(HomePage.FeaturedExperts))] = "expertProfile",
        [(typeof(Article), nameof(Article.AuthorSlug))] = "expertProfile",
        [(typeof(CaseStudyTeaserBlock), nameof(CaseStudyTeaserBlock.CaseStudies))] = "caseStudy",
        [(typeof(ExpertTeaserBlock), nameof(ExpertTeaserBlock.Experts))] = "expertProfile",
    };

    /// <summary>
    /// What the public site never shows, and so neither does its API: an expert's e-mail address, and the availability and
    /// booking types (their meeting places include video-room links and phone numbers given to clients only after they book;
    /// the booking API at <c>/api/v1</c> tells what a visitor may know).
    /// </summary>
    private static readonly HashSet<(Type Type, string Property)> NotDelivered =
    [
        (typeof(ExpertProfile), nameof(ExpertProfile.Email)),
        (typeof(ExpertProfile), nameof(ExpertProfile.Availability)),
        (typeof(ExpertProfile), nameof(ExpertProfile.BookingTypes)),
    ];

    private static readonly JsonSerializerOptions Json = DocumentTypeRegistry.Json;
    private readonly Dictionary<string, JsonObject?> _media = new(StringComparer.Ordinal);

    public async Task<DeliveryContent> ItemAsync(DeliveryItem item, PropertySelection? expand, PropertySelection? fields, CancellationToken cancellationToken) =>
        Content(item, await PropertiesAsync(item.Document, expand, fields, cancellationToken));

    private DeliveryContent Content(DeliveryItem item, JsonObject properties) =>
        new(item.ContentType, item.Name, item.CreatedUtc, item.UpdatedUtc, Route(item), item.Key, properties, []);

    private DeliveryRoute Route(DeliveryItem item) =>
        new(item.Path, index.Home is { } home ? new DeliveryStartItem(home.Key, home.Slug) : null);

    private async Task<JsonObject> PropertiesAsync(object value, PropertySelection? expand, PropertySelection? fields, CancellationToken cancellationToken)
    {
        var properties = new JsonObject();
        foreach (var property in DeliveredProperties(value.GetType()))
        {
            var alias = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (fields is not null && !fields.Includes(alias))
            {
                continue;
            }

            var propertyValue = property.GetValue(value);
            properties[alias] = Links.TryGetValue((value.GetType(), property.Name), out var target)
                ? await LinksAsync(propertyValue, target, expand is not null && expand.Includes(alias), expand?.Nested(alias), fields?.Nested(alias), cancellationToken)
                : await ValueAsync(property, propertyValue, cancellationToken);
        }

        return properties;
    }

    private static IEnumerable<PropertyInfo> DeliveredProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetMethod is not null && property.GetIndexParameters().Length == 0
                               && property.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always }
                               && !NotDelivered.Contains((type, property.Name))
                               // A record's compiler-made EqualityContract is not data.
                               && property.Name != "EqualityContract");

    private async Task<JsonNode?> LinksAsync(object? value, string targetType, bool expanded, PropertySelection? nestedExpand, PropertySelection? nestedFields,
        CancellationToken cancellationToken)
    {
        async Task<JsonNode?> LinkAsync(string slug)
        {
            if (index.FindBySlug(targetType, slug) is not { } linked)
            {
                return null;
            }

            // Unexpanded, a link carries no properties (Umbraco's empty object); expanded, the item's own, its links not expanded further unless nested.
            var properties = expanded ? await PropertiesAsync(linked.Document, nestedExpand, nestedFields, cancellationToken) : [];
            return JsonSerializer.SerializeToNode(Content(linked, properties), Json);
        }

        switch (value)
        {
            case string slug:
                return slug.Length == 0 ? null : await LinkAsync(slug);
            case IEnumerable<string> slugs:
                var array = new JsonArray();
                foreach (var slug in slugs)
                {
                    if (await LinkAsync(slug) is { } link)
                    {
                        array.Add(link);
                    }
                }

                return array;
            default:
                return null;
        }
    }

    private async Task<JsonNode?> ValueAsync(PropertyInfo property, object? value, CancellationToken cancellationToken)
    {
        var dataType = property.GetCustomAttribute<DataTypeAttribute>();
        if (value is string text && dataType?.CustomDataType == DocumentDataTypes.Markdown)
        {
            // Umbraco's rich text in the Delivery API: the markup, and the blocks placed in it (ours has none).
            return new JsonObject { ["markup"] = text.Length == 0 ? "" : markdown.Render(text).Value, ["blocks"] = new JsonArray() };
        }

        if (value is string url && dataType?.DataType == DataType.ImageUrl)
        {
            // Umbraco's media picker delivers a list, also when one image may be picked.
            return url.Length == 0 ? new JsonArray() : new JsonArray(await MediaAsync(url, cancellationToken));
        }

        if (value is IEnumerable<Block> blocks)
        {
            var items = new JsonArray();
            foreach (var block in blocks)
            {
                items.Add(new JsonObject
                {
                    ["content"] = new JsonObject
                    {
                        ["contentType"] = BlockTypes.Of(block).Alias,
                        ["properties"] = await PropertiesAsync(block, null, null, cancellationToken),
                    },
                    ["settings"] = null,
                });
            }

            return new JsonObject { ["items"] = items };
        }

        if (value is not null && IsNestedValue(value.GetType()))
        {
            return await PropertiesAsync(value, null, null, cancellationToken);
        }

        if (value is IList list && value.GetType().IsGenericType && IsNestedValue(value.GetType().GetGenericArguments()[0]))
        {
            var array = new JsonArray();
            foreach (var element in list)
            {
                array.Add(element is null ? null : await PropertiesAsync(element, null, null, cancellationToken));
            }

            return array;
        }

        return JsonSerializer.SerializeToNode(value, property.PropertyType, Json);
    }

    /// <summary>The engine's own records inside a document (a stat, a FAQ entry): written property by property, so Markdown and images in them convert too.</summary>
    private static bool IsNestedValue(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace == typeof(IDocument).Namespace && !typeof(IEnumerable).IsAssignableFrom(type);

    private async Task<JsonObject?> MediaAsync(string url, CancellationToken cancellationToken)
    {
        if (_media.TryGetValue(url, out var known))
        {
            return known?.DeepClone().AsObject();
        }

        var item = await media.FindByUrlAsync(url, cancellationToken);
        JsonObject? result;
        if (item is null)
        {
            // Not a library image (an address elsewhere, or a file since removed): what is known, the URL.
            result = new JsonObject
            {
                ["focalPoint"] = null, ["crops"] = new JsonArray(), ["id"] = null, ["name"] = null, ["mediaType"] = "Image",
                ["url"] = url, ["extension"] = Extension(url), ["width"] = null, ["height"] = null, ["bytes"] = null, ["properties"] = new JsonObject(),
            };
        }
        else
        {
            var format = ResponsiveImages.FallbackFormat(item);
            var crops = new JsonArray();
            foreach (var crop in ImageCrop.All.Where(crop => crop != ImageCrop.Full))
            {
                var width = crop == ImageCrop.Share ? ImageSize.ShareWidth : 800;
                crops.Add(new JsonObject
                {
                    ["alias"] = crop.Name,
                    ["width"] = crop.AspectWidth,
                    ["height"] = crop.AspectHeight,
                    // Our crops follow the focal point; there are no hand-drawn coordinates.
                    ["coordinates"] = null,
                    ["url"] = ResponsiveImages.SizeOf(item, crop, width, format).Url,
                });
            }

            result = new JsonObject
            {
                // Umbraco's focal point is a fraction of the width and height from the top left; ours is in percent.
                ["focalPoint"] = new JsonObject { ["left"] = item.FocalX / 100m, ["top"] = item.FocalY / 100m },
                ["crops"] = crops,
                ["id"] = item.Id,
                ["name"] = item.OriginalName,
                ["mediaType"] = "Image",
                ["url"] = item.Url,
                ["extension"] = Extension(item.StoredName),
                ["width"] = item.Width,
                ["height"] = item.Height,
                ["bytes"] = item.SizeBytes,
                ["properties"] = new JsonObject { ["altText"] = item.AltText },
            };
        }

        _media[url] = result;
        return result.DeepClone().AsObject();
    }

    private static string? Extension(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot < 0 || dot == name.Length - 1 ? null : name[(dot + 1)..].ToLowerInvariant();
    }
}
