using Portfolio.Web.Content;

namespace Portfolio.Web.Delivery;

/// <summary>
/// Which properties to show, or to expand, as Umbraco's Delivery API v2 writes it: <c>properties[$all]</c>,
/// <c>properties[title,team]</c>, and nested for the items a property links to: <c>properties[team[properties[name]]]</c>.
/// Null means none (for expansion) or all (for fields).
/// </summary>
public sealed record PropertySelection(bool All, IReadOnlyDictionary<string, PropertySelection?> Named)
{
    public static readonly PropertySelection Everything = new(true, new Dictionary<string, PropertySelection?>());

    public bool Includes(string alias) => All || Named.ContainsKey(alias);

    /// <summary>The selection for the items <paramref name="alias"/> links to: the nested one, else none given.</summary>
    public PropertySelection? Nested(string alias) => Named.GetValueOrDefault(alias);

    /// <summary>Parses <c>properties[…]</c>; null with an error message when it is not that syntax.</summary>
    public static (PropertySelection? Selection, string? Error) Parse(string text)
    {
        var position = 0;
        var selection = ParseSelection(text, ref position, out var error);
        if (error is null && position != text.Length)
        {
            error = $"Unexpected '{text[position]}' at position {position + 1}.";
        }

        return error is null ? (selection, null) : (null, error);
    }

    private const int MaxDepth = 4;

    private static PropertySelection? ParseSelection(string text, ref int position, out string? error, int depth = 0)
    {
        const string Prefix = "properties[";
        if (depth >= MaxDepth)
        {
            error = $"Nest at most {MaxDepth} levels.";
            return null;
        }

        if (!text.AsSpan(position).StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = "Write properties[$all] or properties[alias1,alias2] (aliases may nest: properties[alias[properties[$all]]]).";
            return null;
        }

        position += Prefix.Length;
        var all = false;
        var named = new Dictionary<string, PropertySelection?>(StringComparer.Ordinal);
        while (true)
        {
            var start = position;
            while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '$' or '_' or '-'))
            {
                position++;
            }

            var alias = text[start..position];
            if (alias.Length == 0 || (alias.Contains('$') && alias != "$all"))
            {
                error = alias.Length == 0 ? $"Expected a property alias or $all at position {start + 1}." : $"'{alias}' is not a property alias; only $all starts with $.";
                return null;
            }

            PropertySelection? nested = null;
            if (position < text.Length && text[position] == '[')
            {
                position++;
                nested = ParseSelection(text, ref position, out error, depth + 1);
                if (error is not null)
                {
                    return null;
                }

                if (position >= text.Length || text[position] != ']')
                {
                    error = $"Expected ']' at position {position + 1}.";
                    return null;
                }

                position++;
            }

            if (alias == "$all")
            {
                all = true;
            }
            else
            {
                named[alias] = nested;
            }

            if (position < text.Length && text[position] == ',')
            {
                position++;
                continue;
            }

            if (position < text.Length && text[position] == ']')
            {
                position++;
                error = null;
                return new PropertySelection(all, named);
            }

            error = $"Expected ',' or ']' at position {position + 1}.";
            return null;
        }
    }
}

/// <summary>How to order a query's items: <c>createDate</c>, <c>updateDate</c>, <c>name</c>, <c>sortOrder</c> or <c>level</c>, <c>:asc</c> or <c>:desc</c>.</summary>
public sealed record DeliverySort(string Field, bool Descending);

/// <summary>
/// A query of <c>GET /umbraco/delivery/api/v2/content</c>, checked: any part it cannot honour is an error for that
/// parameter (a 400 with the parameter named), never ignored and never a 500.
/// </summary>
public sealed record DeliveryQuery(
    string? FetchKind, string? FetchTarget, IReadOnlyList<Func<DeliveryItem, bool>> Filters, IReadOnlyList<DeliverySort> Sorts,
    int Skip, int Take, PropertySelection? Expand, PropertySelection? Fields)
{
    public const int DefaultTake = 10;

    public static readonly string[] SortFields = ["createDate", "updateDate", "name", "sortOrder", "level"];
    public static readonly string[] FilterFields = ["contentType", "name"];
    public static readonly string[] FetchKinds = ["children", "descendants", "ancestors"];

    public static (DeliveryQuery? Query, Dictionary<string, string[]> Errors) Parse(
        string? fetch, string[]? filters, string[]? sorts, string? skip, string? take, string? expand, string? fields, int maxTake)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? fetchKind = null, fetchTarget = null;
        if (!string.IsNullOrEmpty(fetch))
        {
            var colon = fetch.IndexOf(':', StringComparison.Ordinal);
            fetchKind = colon < 0 ? fetch : fetch[..colon];
            fetchTarget = colon < 0 ? "" : fetch[(colon + 1)..];
            if (!FetchKinds.Contains(fetchKind, StringComparer.Ordinal) || fetchTarget.Length == 0)
            {
                errors["fetch"] = ["Write children:{id or path}, descendants:{id or path} or ancestors:{id or path}, e.g. children:/case-studies."];
            }
        }

        var predicates = new List<Func<DeliveryItem, bool>>();
        foreach (var filter in (filters ?? []).Where(filter => !string.IsNullOrEmpty(filter)))
        {
            if (ParseFilter(filter) is { } predicate)
            {
                predicates.Add(predicate);
            }
            else
            {
                Add(errors, "filter", $"'{filter}' is not a filter this API knows. Use contentType:{{alias}} (e.g. contentType:article; several with commas; ! before them excludes) or name:{{text}}. Types: {string.Join(", ", DocumentTypeRegistry.ByAlias.Keys.Order(StringComparer.Ordinal))}.");
            }
        }

        var order = new List<DeliverySort>();
        foreach (var sort in (sorts ?? []).Where(sort => !string.IsNullOrEmpty(sort)))
        {
            var parts = sort.Split(':');
            if (parts.Length == 2 && SortFields.Contains(parts[0], StringComparer.Ordinal) && parts[1] is "asc" or "desc")
            {
                order.Add(new DeliverySort(parts[0], parts[1] == "desc"));
            }
            else
            {
                Add(errors, "sort", $"'{sort}' is not a sort this API knows. Use {{field}}:asc or {{field}}:desc with a field of {string.Join(", ", SortFields)}.");
            }
        }

        var skipValue = 0;
        if (!string.IsNullOrEmpty(skip) && !(int.TryParse(skip, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out skipValue)))
        {
            errors["skip"] = ["Skip must be a whole number, 0 or more."];
        }

        var takeValue = DefaultTake;
        if (!string.IsNullOrEmpty(take) && !(int.TryParse(take, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out takeValue)
                                             && takeValue >= 0 && takeValue <= maxTake))
        {
            errors["take"] = [$"Take must be a whole number from 0 to {maxTake}."];
        }

        var expandSelection = ParseSelection(expand, "expand", errors);
        var fieldsSelection = ParseSelection(fields, "fields", errors);
        return errors.Count > 0
            ? (null, errors)
            : (new DeliveryQuery(fetchKind, fetchTarget, predicates, order, skipValue, takeValue, expandSelection, fieldsSelection), errors);
    }

    /// <summary>Parses <c>expand</c> or <c>fields</c>, adding an error for the parameter when it is not <c>properties[…]</c>.</summary>
    public static PropertySelection? ParseSelection(string? text, string parameter, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var (selection, error) = PropertySelection.Parse(text);
        if (error is not null)
        {
            errors[parameter] = [error];
        }

        return selection;
    }

    private static Func<DeliveryItem, bool>? ParseFilter(string filter)
    {
        var colon = filter.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }

        var field = filter[..colon];
        var value = filter[(colon + 1)..];
        var negate = value.StartsWith('!');
        if (negate)
        {
            value = value[1..];
        }

        if (value.Length == 0)
        {
            return null;
        }

        switch (field)
        {
            case "contentType":
                var aliases = value.Split(',');
                if (!aliases.All(DocumentTypeRegistry.ByAlias.ContainsKey))
                {
                    return null;
                }

                return item => aliases.Contains(item.ContentType, StringComparer.Ordinal) != negate;
            case "name":
                return item => item.Name.Contains(value, StringComparison.OrdinalIgnoreCase) != negate;
            default:
                return null;
        }
    }

    private static void Add(Dictionary<string, string[]> errors, string key, string message) =>
        errors[key] = [.. errors.GetValueOrDefault(key) ?? [], message];

    /// <summary>The items this query selects, filtered and sorted, before paging.</summary>
    public IEnumerable<DeliveryItem> Select(IEnumerable<DeliveryItem> items)
    {
        var selected = items.Where(item => Filters.All(filter => filter(item)));
        if (Sorts.Count == 0)
        {
            return selected;
        }

        IOrderedEnumerable<DeliveryItem>? ordered = null;
        foreach (var sort in Sorts)
        {
            ordered = sort.Field switch
            {
                "createDate" => Then(ordered, selected, item => item.CreatedUtc, sort.Descending),
                "updateDate" => Then(ordered, selected, item => item.UpdatedUtc, sort.Descending),
                "sortOrder" => Then(ordered, selected, item => item.SortOrder, sort.Descending),
                "level" => Then(ordered, selected, item => item.Level, sort.Descending),
                _ => ordered is null
                    ? (sort.Descending ? selected.OrderByDescending(item => item.Name, StringComparer.OrdinalIgnoreCase) : selected.OrderBy(item => item.Name, StringComparer.OrdinalIgnoreCase))
                    : (sort.Descending ? ordered.ThenByDescending(item => item.Name, StringComparer.OrdinalIgnoreCase) : ordered.ThenBy(item => item.Name, StringComparer.OrdinalIgnoreCase)),
            };
        }

        return ordered!;
    }

    private static IOrderedEnumerable<DeliveryItem> Then<TKey>(IOrderedEnumerable<DeliveryItem>? ordered, IEnumerable<DeliveryItem> items, Func<DeliveryItem, TKey> key, bool descending) =>
        ordered is null
            ? (descending ? items.OrderByDescending(key) : items.OrderBy(key))
            : (descending ? ordered.ThenByDescending(key) : ordered.ThenBy(key));
}
