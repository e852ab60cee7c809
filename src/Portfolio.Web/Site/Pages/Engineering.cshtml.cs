using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;

namespace Portfolio.Web.Site.Pages;

/// <summary>
/// <c>/engineering</c>: the request lifecycle, the schema explorer, the competencies and the job-queue
/// simulation. Everything is rendered on the server as readable content; <c>wwwroot/js/engineering.js</c>
/// turns the sections into widgets using the ids and <c>data-*</c> attributes the views write.
/// </summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class EngineeringModel : SitePageModel
{
    /// <summary>
    /// Simulated pause before the first retry; each further retry doubles it. The explanation under the
    /// queue and the script both read it, so the text and the animation cannot disagree.
    /// </summary>
    public const int QueueBackoffBaseMs = 1000;

    public EngineeringPage Engineering { get; private set; } = new();

    public IReadOnlyList<SchemaTableView> Tables { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        if (Published.Singleton<EngineeringPage>() is not { } page)
        {
            return NotFound();
        }

        Engineering = page;
        Tables = SchemaTableView.Build(page.Tables);
        Describe(page.Title, page.MetaDescription, "/engineering");
        return Page();
    }

    public string LifecycleHeading => Fallback(Engineering.LifecycleHeading, "Request lifecycle");

    public string SchemaHeading => Fallback(Engineering.SchemaHeading, "Database schema");

    public string CompetenciesHeading => Fallback(Engineering.CompetenciesHeading, "Core competencies");

    public string QueueHeading => Fallback(Engineering.QueueHeading, "Event queue");

    /// <summary>The pauses before each retry, e.g. "1 s, 2 s" for three attempts; empty when a job gets one attempt.</summary>
    public IReadOnlyList<string> RetryDelays =>
        Enumerable.Range(0, Math.Max(0, Engineering.QueueMaxAttempts - 1))
            .Select(retry => Seconds(QueueBackoffBaseMs << retry))
            .ToList();

    /// <summary>"1.5 s" — simulated durations are shown in seconds, invariantly formatted to match the script.</summary>
    public static string Seconds(int milliseconds) =>
        (milliseconds / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + " s";

    /// <summary>Machine-readable numbers in <c>data-*</c> attributes are culture-invariant.</summary>
    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Fallback(string value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;
}

/// <summary>A schema table as the page shows it: its anchor and its relations in both directions.</summary>
public sealed record SchemaTableView(
    SchemaTable Table,
    string AnchorId,
    IReadOnlyList<SchemaColumnView> Columns,
    IReadOnlyList<SchemaRelation> References,
    IReadOnlyList<SchemaRelation> ReferencedBy)
{
    /// <summary>
    /// Gives every table a unique <c>table-{slug}</c> anchor and computes "references" (its own foreign keys)
    /// and "referenced by" (other tables' foreign keys that point at it) from the columns' References.
    /// Table names match case-insensitively; a reference to a table the content does not list stays unlinked.
    /// </summary>
    public static IReadOnlyList<SchemaTableView> Build(IReadOnlyList<SchemaTable> tables)
    {
        var anchors = new string[tables.Count];
        var used = new HashSet<string>(StringComparer.Ordinal);
        var anchorByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < tables.Count; i++)
        {
            var slug = Slugs.From(tables[i].Name);
            var anchor = "table-" + (slug.Length == 0 ? (i + 1).ToString(CultureInfo.InvariantCulture) : slug);
            for (var suffix = 2; !used.Add(anchor); suffix++)
            {
                anchor = $"table-{slug}-{suffix}";
            }

            anchors[i] = anchor;
            anchorByName.TryAdd(tables[i].Name.Trim(), anchor);
        }

        string? AnchorOf(string tableName) => anchorByName.GetValueOrDefault(tableName.Trim());

        var referencedBy = tables.Select(_ => new List<SchemaRelation>()).ToArray();
        var views = new List<(SchemaColumnView[] Columns, List<SchemaRelation> References)>();
        for (var i = 0; i < tables.Count; i++)
        {
            var references = new List<SchemaRelation>();
            var columns = tables[i].Columns.Select(column =>
            {
                var target = column.References.Trim();
                var targetAnchor = target.Length == 0 ? null : AnchorOf(target);
                if (target.Length > 0)
                {
                    references.Add(new SchemaRelation(target, targetAnchor, column.Name));
                    if (targetAnchor is not null)
                    {
                        var targetIndex = Array.IndexOf(anchors, targetAnchor);
                        referencedBy[targetIndex].Add(new SchemaRelation(tables[i].Name, anchors[i], column.Name));
                    }
                }

                return new SchemaColumnView(column, SchemaKey.Parse(column.Key, hasReference: target.Length > 0), targetAnchor);
            }).ToArray();
            views.Add((columns, references));
        }

        return tables.Select((table, i) => new SchemaTableView(table, anchors[i], views[i].Columns, views[i].References, referencedBy[i])).ToList();
    }
}

public sealed record SchemaColumnView(SchemaColumn Column, IReadOnlyList<SchemaKey> Keys, string? ReferenceAnchorId);

/// <summary>One relation: the other table (linked when it is on the page) and the foreign-key column.</summary>
public sealed record SchemaRelation(string TableName, string? AnchorId, string ColumnName);

/// <summary>A key badge: PK, FK, UQ (or whatever an editor typed), with the words it stands for.</summary>
public sealed record SchemaKey(string Code, string Meaning)
{
    private static readonly Dictionary<string, string> Meanings = new(StringComparer.Ordinal)
    {
        ["PK"] = "Primary key",
        ["FK"] = "Foreign key",
        ["UQ"] = "Unique",
    };

    /// <summary>Css modifier: <c>pk</c>, <c>fk</c>, <c>uq</c> or <c>other</c>.</summary>
    public string Modifier => Meanings.ContainsKey(Code) ? Code.ToLowerInvariant() : "other";

    /// <summary>
    /// Reads "PK", "PK, FK", "pk/uq" and so on. A column with a reference is a foreign key even when an
    /// editor forgot to say so, so the badge and the relation lists always agree.
    /// </summary>
    public static IReadOnlyList<SchemaKey> Parse(string key, bool hasReference)
    {
        var codes = key.Split([',', '/', ' ', '+', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(code => code.ToUpperInvariant())
            .ToList();
        if (hasReference && !codes.Contains("FK"))
        {
            codes.Add("FK");
        }

        return codes.Distinct(StringComparer.Ordinal)
            .Select(code => new SchemaKey(code, Meanings.GetValueOrDefault(code, code)))
            .ToList();
    }
}
