using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace Portfolio.Web.Content;

/// <summary>Marks a record as a document type and names it in storage (the alias never changes).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DocumentTypeAttribute(string alias) : Attribute
{
    public string Alias { get; } = alias;

    /// <summary>Exactly one item of this type exists (home page, settings, …).</summary>
    public bool Singleton { get; init; }

    /// <summary>Public URL of an item, with <c>{slug}</c>; null when the type has no page of its own.</summary>
    public string? RouteTemplate { get; init; }

    /// <summary>The slug is a path of one or more slugs joined by <c>/</c> (a general page: <c>legal/privacy-notice</c>).</summary>
    public bool SlugIsPath { get; init; }
}

/// <summary>A document type as the engine sees it.</summary>
public sealed record DocumentTypeInfo(string Alias, Type ClrType, bool Singleton, string? RouteTemplate, bool SlugIsPath = false)
{
    public string? UrlFor(string slug) => RouteTemplate?.Replace("{slug}", slug, StringComparison.Ordinal);
}

/// <summary>Every document type in the app, found once by reflection, plus the JSON settings used to store them.</summary>
public static class DocumentTypeRegistry
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static FrozenDictionary<string, DocumentTypeInfo> ByAlias { get; } = typeof(IDocument).Assembly.GetTypes()
        .Where(type => typeof(IDocument).IsAssignableFrom(type) && !type.IsAbstract)
        .Select(type => (type, attribute: type.GetCustomAttribute<DocumentTypeAttribute>()))
        .Where(pair => pair.attribute is not null)
        .Select(pair => new DocumentTypeInfo(pair.attribute!.Alias, pair.type, pair.attribute.Singleton, pair.attribute.RouteTemplate, pair.attribute.SlugIsPath))
        .ToFrozenDictionary(info => info.Alias, StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, DocumentTypeInfo> ByClrType =
        ByAlias.Values.ToFrozenDictionary(info => info.ClrType);

    public static DocumentTypeInfo Get(string alias) =>
        ByAlias.TryGetValue(alias, out var info) ? info : throw new UnknownDocumentTypeException(alias);

    public static DocumentTypeInfo Of<TDocument>() where TDocument : IDocument => ByClrType[typeof(TDocument)];

    public static DocumentTypeInfo Of(IDocument document) => ByClrType[document.GetType()];

    public static string Serialize(IDocument document) => JsonSerializer.Serialize(document, document.GetType(), Json);

    public static IDocument Deserialize(string alias, string json) =>
        (IDocument)(JsonSerializer.Deserialize(json, Get(alias).ClrType, Json)
                    ?? throw new InvalidOperationException($"Stored {alias} document is empty."));
}
