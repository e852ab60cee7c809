using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages;

namespace Portfolio.Tests.Site;

/// <summary>
/// /engineering without JavaScript: every stage, table, relation and queue setting is in the HTML, and the
/// data-* contract engineering.js reads is there too.
/// </summary>
public sealed class EngineeringPageTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    private static SchemaTable Table(string name, params SchemaColumn[] columns) => new() { Name = name, Columns = [.. columns] };

    private static SchemaColumn Column(string name, string key = "", string references = "") =>
        new() { Name = name, Type = "uuid", Key = key, References = references };

    private static List<(string Table, string Column)> Pairs(IEnumerable<SchemaRelation> relations) =>
        relations.Select(relation => (relation.TableName, relation.ColumnName)).ToList();

    [Fact]
    public void RelationsAreComputedInBothDirectionsFromTheForeignKeys()
    {
        var views = SchemaTableView.Build(
        [
            Table("tenants", Column("id", "PK")),
            Table("users", Column("id", "PK"), Column("tenant_id", "FK", "tenants"), Column("manager_id", "FK", "users")),
        ]);

        var tenants = views[0];
        var users = views[1];
        Assert.Empty(tenants.References);
        Assert.Equal([("users", "tenant_id")], Pairs(tenants.ReferencedBy));
        Assert.Equal([("tenants", "tenant_id"), ("users", "manager_id")], Pairs(users.References));
        // A self-reference shows on both sides.
        Assert.Equal([("users", "manager_id")], Pairs(users.ReferencedBy));
        Assert.Equal(["table-tenants", "table-users"], users.References.Select(r => r.AnchorId));
        Assert.Equal("table-tenants", users.Columns[1].ReferenceAnchorId);
    }

    [Fact]
    public void AReferenceToATableThatIsNotListedStaysUnlinked()
    {
        var views = SchemaTableView.Build([Table("orders", Column("customer_id", "FK", "customers"))]);

        var relation = Assert.Single(views[0].References);
        Assert.Equal("customers", relation.TableName);
        Assert.Null(relation.AnchorId);
        Assert.Null(views[0].Columns[0].ReferenceAnchorId);
    }

    [Fact]
    public void TableAnchorsAreUniqueEvenWhenNamesSlugTheSame()
    {
        var views = SchemaTableView.Build([Table("audit_log"), Table("Audit Log"), Table("???")]);

        Assert.Equal(["table-audit-log", "table-audit-log-2", "table-3"], views.Select(view => view.AnchorId));
    }

    [Theory]
    [InlineData("PK", false, "PK")]
    [InlineData("pk, uq", false, "PK UQ")]
    [InlineData("PK/FK", true, "PK FK")]
    [InlineData("", true, "FK")]
    [InlineData("", false, "")]
    public void KeyBadgesAreReadFromWhatEditorsType(string key, bool hasReference, string expected)
    {
        Assert.Equal(expected, string.Join(' ', SchemaKey.Parse(key, hasReference).Select(badge => badge.Code)));
    }

    [Fact]
    public async Task ThePageReadsWithoutJavaScript()
    {
        var page = await app.CreateClient().GetDocumentAsync("/engineering");

        var stages = page.QuerySelectorAll("#lifecycle ol > li [data-stage]");
        Assert.True(stages.Length > 1, "The lifecycle lists no stages.");
        Assert.All(stages, stage => Assert.NotNull(stage.QuerySelector("h3")));

        var tables = page.QuerySelectorAll("#schema [data-schema-table]");
        Assert.NotEmpty(tables);
        foreach (var table in tables)
        {
            Assert.StartsWith("table-", table.Id);
            Assert.NotNull(page.QuerySelector($"#schema nav a[href='#{table.Id}']"));
            Assert.NotNull(table.QuerySelector("table > caption"));
            Assert.NotEmpty(table.QuerySelectorAll("thead th[scope=col]"));
            Assert.NotEmpty(table.QuerySelectorAll("tbody th[scope=row]"));
        }

        // Every relation link points at a table on the page.
        var targets = page.QuerySelectorAll("#schema a[data-table-link]").Select(link => link.GetAttribute("href")!).ToList();
        Assert.NotEmpty(targets);
        Assert.All(targets, target => Assert.NotNull(page.QuerySelector(target)));

        var queue = page.QuerySelector("[data-queue]")!;
        Assert.NotNull(queue.GetAttribute("data-workers"));
        Assert.NotNull(queue.GetAttribute("data-max-attempts"));
        Assert.NotEmpty(queue.QuerySelectorAll("[data-job-type][data-duration-ms][data-failure-percent]"));
        Assert.True(page.QuerySelector("[data-queue-sim]")!.HasAttribute("hidden"), "The simulation needs script; it must start hidden.");
        Assert.Contains("dead-letter", queue.TextContent, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ThePageLoadsItsOwnStylesAndScriptWithoutInlineCode()
    {
        var page = await app.CreateClient().GetDocumentAsync("/engineering");

        Assert.NotNull(page.QuerySelector("head link[rel=stylesheet][href^='/css/engineering.'][href$='.css']"));
        Assert.NotNull(page.QuerySelector("script[src^='/js/engineering.'][src$='.js'][defer]"));
        Assert.Empty(page.QuerySelectorAll("[style], style"));
        // Data blocks (JSON-LD, JSON) are allowed by CSP; executable inline script is not.
        Assert.DoesNotContain(page.QuerySelectorAll("script:not([src])"), script => script.GetAttribute("type") is not ("application/ld+json" or "application/json"));
    }
}
