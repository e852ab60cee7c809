using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>
/// Runs axe-core (npm, pinned in package.json) in the page and fails with every violation spelled out.
/// The site's CSP forbids inline script, so the script is not added as a &lt;script&gt; tag: Playwright
/// evaluates its text through the DevTools protocol, which page CSP does not govern. The page under test
/// keeps its real CSP, so a CSP violation of the site itself still shows.
/// </summary>
public static class AxeChecker
{
    private static readonly Lazy<string> AxeSource = new(LoadAxeSource);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Asserts that axe finds no violations on the page as it is now (all rules axe enables by default).</summary>
    public static async Task AssertNoViolationsAsync(IPage page, string description) =>
        AssertNone(await RunAsync(page), description, page.Url);

    /// <summary>Fails with every violation of an earlier <see cref="RunAsync"/> on <paramref name="url"/> spelled out.</summary>
    public static void AssertNone(IReadOnlyList<AxeViolation> violations, string description, string url)
    {
        if (violations.Count == 0)
        {
            return;
        }

        var message = new StringBuilder()
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"axe-core found {violations.Count} accessibility violation(s) on {description} ({url}):");
        foreach (var violation in violations)
        {
            message.AppendLine()
                .Append(System.Globalization.CultureInfo.InvariantCulture, $"- {violation.Id} [{violation.Impact}] {violation.Help} ({violation.HelpUrl})");
            foreach (var node in violation.Nodes)
            {
                message.AppendLine()
                    .Append(System.Globalization.CultureInfo.InvariantCulture, $"    at {string.Join(" > ", node.Target)}: {node.Html}");
                if (!string.IsNullOrWhiteSpace(node.FailureSummary))
                {
                    message.AppendLine().Append("      ").Append(node.FailureSummary.ReplaceLineEndings("\n      "));
                }
            }
        }

        throw new XunitException(message.ToString());
    }

    public static async Task<IReadOnlyList<AxeViolation>> RunAsync(IPage page)
    {
        var loaded = await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'");
        if (!loaded)
        {
            // Wrapped in a function so Playwright evaluates the library as a statement block, whatever its first bytes.
            await page.EvaluateAsync($"() => {{\n{AxeSource.Value}\n}}");
        }

        var json = await page.EvaluateAsync<JsonElement>(
            """
            async () => {
              const results = await window.axe.run(document, { resultTypes: ['violations'] });
              return results.violations.map(v => ({
                id: v.id,
                impact: v.impact ?? '',
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                  target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : String(t)),
                  html: n.html,
                  failureSummary: n.failureSummary ?? ''
                }))
              }));
            }
            """);
        return json.Deserialize<List<AxeViolation>>(Json) ?? [];
    }

    private static string LoadAxeSource()
    {
        var path = TestPaths.AxeScript;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"axe-core is not installed: {path} is missing. Run `npm ci` in {TestPaths.ProjectDirectory} " +
                "(tests/run.sh does that when node_modules is missing).");
        }

        return File.ReadAllText(path);
    }
}

public sealed record AxeViolation(string Id, string Impact, string Help, string HelpUrl, IReadOnlyList<AxeNode> Nodes);

public sealed record AxeNode(IReadOnlyList<string> Target, string Html, string FailureSummary);
