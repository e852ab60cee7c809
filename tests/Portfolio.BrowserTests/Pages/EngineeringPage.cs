using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace Portfolio.BrowserTests.Pages;

/// <summary>
/// The engineering page at <c>/engineering</c> and its three widgets, as engineering.js builds them from the
/// server-rendered sections (Site/Pages/Engineering.cshtml, Shared/_Engineering*.cshtml): the request
/// lifecycle stepper (<c>#lifecycle</c>), the schema explorer (<c>#schema</c>) and the job-queue simulation
/// (<c>#queue</c>). The widget objects only locate and read; the tests drive them with the keyboard.
/// </summary>
public sealed partial class EngineeringPage : SitePage
{
    public const string Path = "/engineering";

    public static readonly IReadOnlyList<string> WidgetIds = ["lifecycle", "schema", "queue"];

    private EngineeringPage(IPage page)
        : base(page)
    {
        Lifecycle = new LifecycleStepper(page);
        Schema = new SchemaExplorer(page);
        Queue = new QueueSimulation(page);
    }

    public LifecycleStepper Lifecycle { get; }

    public SchemaExplorer Schema { get; }

    public QueueSimulation Queue { get; }

    /// <summary>Opens the page, optionally at a fragment such as <c>#stage-4</c> (a deep link).</summary>
    public static async Task<EngineeringPage> OpenAsync(IPage page, string fragment = "")
    {
        await GotoAsync(page, Path + fragment);
        return new EngineeringPage(page);
    }

    /// <summary>
    /// Opens the page with every job type's <c>data-failure-percent</c> rewritten on its way from the server,
    /// so the simulation's random failures become certain: 0 always succeeds, 100 always fails. The page's
    /// own script and CSP are untouched; only the number the script reads changes.
    /// </summary>
    public static Task<EngineeringPage> OpenWithJobFailurePercentAsync(IPage page, int failurePercent) =>
        OpenWithJobFailurePercentAsync(page, _ => failurePercent);

    /// <summary>As above, with a failure rate per job type (by its <c>data-job-type</c> index).</summary>
    public static async Task<EngineeringPage> OpenWithJobFailurePercentAsync(IPage page, Func<int, int> failurePercentOfJobType)
    {
        await page.RouteAsync(DocumentUrl(), async route =>
        {
            var response = await route.FetchAsync();
            var html = JobTypeFailurePercent().Replace(await response.TextAsync(), match =>
            {
                var percent = failurePercentOfJobType(int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture));
                return $"{match.Groups["head"].Value}data-failure-percent=\"{percent.ToString(CultureInfo.InvariantCulture)}\"";
            });

            // The body changed length, and FetchAsync already decoded any compression.
            var headers = response.Headers
                .Where(header => !header.Key.Equals("content-length", StringComparison.OrdinalIgnoreCase) &&
                                 !header.Key.Equals("content-encoding", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(header => header.Key, header => header.Value);
            await route.FulfillAsync(new() { Status = response.Status, Headers = headers, Body = html });
        });

        var engineering = await OpenAsync(page);

        // A rewrite that silently matched nothing would leave the failures random and the tests flaky.
        var jobTypes = engineering.Queue.JobTypes;
        var count = await jobTypes.CountAsync();
        if (count == 0)
        {
            throw new XunitException("The queue lists no job type (li[data-job-type]) to rewrite.");
        }

        for (var index = 0; index < count; index++)
        {
            await Assertions.Expect(jobTypes.Nth(index))
                .ToHaveAttributeAsync("data-failure-percent", failurePercentOfJobType(index).ToString(CultureInfo.InvariantCulture));
        }

        return engineering;
    }

    /// <summary>
    /// Follows the "On this page" link to a section with the keyboard (Tab to it, Enter), as a keyboard user
    /// skips the rest of the page: the browser then starts the next Tab inside that section.
    /// </summary>
    public async Task JumpToSectionAsync(string sectionId)
    {
        var link = Page.GetByRole(AriaRole.Navigation, new() { Name = "On this page" }).Locator($"a[href='#{sectionId}']");
        await TabToAsync(link, $"The \"On this page\" link to #{sectionId}");
        await Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex($"#{Regex.Escape(sectionId)}$"));
    }

    /// <summary>
    /// Presses Tab (Shift+Tab when <paramref name="backwards"/>) from wherever focus is now until
    /// <paramref name="target"/> has it; fails when it never does within <paramref name="maxPresses"/>.
    /// </summary>
    public async Task TabUntilFocusedAsync(ILocator target, string description, bool backwards = false, int maxPresses = 40)
    {
        var key = backwards ? "Shift+Tab" : "Tab";
        for (var presses = 1; presses <= maxPresses; presses++)
        {
            await Page.Keyboard.PressAsync(key);
            if (await target.EvaluateAsync<bool>("el => el === document.activeElement"))
            {
                return;
            }
        }

        var focused = await Page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 200) ?? 'nothing'");
        throw new XunitException($"{description} did not receive focus after {maxPresses} presses of {key} (focus is on {focused}).");
    }

    public Task PressAsync(string key) => Page.Keyboard.PressAsync(key);

    /// <summary>
    /// Waits until every finite CSS animation has finished (the queue's items fade in), so checks of colour
    /// and contrast see the page as it settles, not a frame halfway through a fade.
    /// </summary>
    public Task WaitForAnimationsAsync() =>
        Page.EvaluateAsync(
            """
            () => Promise.all(document.getAnimations()
              .filter(animation => animation.effect?.getComputedTiming().endTime !== Infinity)
              .map(animation => animation.finished.catch(() => undefined)))
            """);

    /// <summary>The page document itself (with or without a query), not its scripts or styles.</summary>
    private static Regex DocumentUrl() => new($"^[^#?]*{Regex.Escape(Path)}(\\?[^#]*)?$");

    /// <summary>A job type's opening tag up to its failure rate; <c>[^>]</c> also spans the tag's line breaks.</summary>
    [GeneratedRegex(@"(?<head>data-job-type=""(?<index>\d+)""[^>]*?)data-failure-percent=""\d+""", RegexOptions.CultureInvariant)]
    private static partial Regex JobTypeFailurePercent();
}

/// <summary>One stage of the lifecycle as the server rendered it.</summary>
public sealed record LifecycleStage(int Number, string Name, string Layer);

/// <summary>
/// The request lifecycle inside <c>#lifecycle</c>: a tablist named after the section heading, tabs
/// <c>#stage-N-tab</c> and panels <c>#stage-N</c> (numbered from 1), Previous/Next buttons and a polite
/// status line.
/// </summary>
public sealed class LifecycleStepper(IPage page)
{
    public ILocator Root => page.Locator("#lifecycle");

    public ILocator Heading => Root.Locator("h2");

    public ILocator Tablist => Root.GetByRole(AriaRole.Tablist);

    public ILocator Tabs => Tablist.GetByRole(AriaRole.Tab);

    /// <summary>Tabs in the Tab order: with a roving tab stop, exactly one.</summary>
    public ILocator TabStops => Tablist.Locator("[role='tab'][tabindex='0']");

    public ILocator Tab(int stage) => page.Locator($"#stage-{stage}-tab");

    /// <summary>Every stage panel, shown or not (the server renders one per stage).</summary>
    public ILocator Panels => Root.Locator("[data-stage]");

    public ILocator VisiblePanels => Root.Locator("[data-stage]:visible");

    public ILocator Panel(int stage) => page.Locator($"#stage-{stage}");

    public ILocator PreviousButton => Root.GetByRole(AriaRole.Button, new() { Name = "Previous stage", Exact = true });

    public ILocator NextButton => Root.GetByRole(AriaRole.Button, new() { Name = "Next stage", Exact = true });

    /// <summary>The Previous/Next buttons whether or not they are shown (they are rendered hidden for no-JS).</summary>
    public ILocator Controls => page.Locator("#lifecycle-previous, #lifecycle-next");

    public ILocator Status => page.Locator("#lifecycle-status");

    /// <summary>Every stage's name (its visible heading) and layer, in order.</summary>
    public async Task<IReadOnlyList<LifecycleStage>> ReadStagesAsync()
    {
        var stages = await Panels.EvaluateAllAsync<string[][]>(
            "panels => panels.map(p => [p.querySelector('h3')?.textContent.trim() ?? '', p.dataset.stageLayer ?? ''])");
        return stages.Select((stage, index) => new LifecycleStage(index + 1, stage[0], stage[1])).ToList();
    }

    /// <summary>What the status line says for a stage: "Stage 2 of 9: Load balancer and TLS termination (Edge)".</summary>
    public static string Announcement(LifecycleStage stage, int stageCount) =>
        $"Stage {stage.Number} of {stageCount}: {stage.Name}" + (stage.Layer.Length > 0 ? $" ({stage.Layer})" : "");
}

/// <summary>
/// The schema explorer inside <c>#schema</c>: a tablist named "Tables", tabs <c>#table-{slug}-tab</c>,
/// panels <c>#table-{slug}</c>, each with a table "Columns of {name}" whose row headers are the columns.
/// </summary>
public sealed class SchemaExplorer(IPage page)
{
    public ILocator Root => page.Locator("#schema");

    public ILocator Tablist => Root.GetByRole(AriaRole.Tablist);

    public ILocator Tabs => Tablist.GetByRole(AriaRole.Tab);

    public ILocator TabStops => Tablist.Locator("[role='tab'][tabindex='0']");

    /// <summary>Every table section, shown or not.</summary>
    public ILocator Panels => Root.Locator("[data-schema-table]");

    public ILocator VisiblePanels => Root.Locator("[data-schema-table]:visible");

    /// <summary>The index of tables the page renders for readers without JavaScript.</summary>
    public ILocator Index => Root.GetByRole(AriaRole.Navigation, new() { Name = "Tables" });

    /// <summary>
    /// <c>table-{slug}</c> for a plain ASCII name (as the sample's are): lower case, every run of other
    /// characters one hyphen, as the page's Slugs.From does.
    /// </summary>
    public static string AnchorOf(string tableName) => "table-" + Regex.Replace(tableName.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');

    public ILocator Tab(string tableName) => page.Locator($"#{AnchorOf(tableName)}-tab");

    public ILocator Panel(string tableName) => page.Locator($"#{AnchorOf(tableName)}");

    public ILocator ColumnsTable(string tableName) =>
        Panel(tableName).GetByRole(AriaRole.Table, new() { Name = $"Columns of {tableName}", Exact = true });

    public ILocator ColumnNames(string tableName) => ColumnsTable(tableName).GetByRole(AriaRole.Rowheader);

    public ILocator ColumnRow(string tableName, string columnName) =>
        ColumnsTable(tableName).GetByRole(AriaRole.Row).Filter(new()
        {
            Has = page.GetByRole(AriaRole.Rowheader, new() { Name = columnName, Exact = true }),
        });

    public ILocator KeyBadges(string tableName, string columnName) => ColumnRow(tableName, columnName).Locator("abbr.key-badge");

    /// <summary>Links in one table's panel that lead to another table (foreign keys and both relation lists).</summary>
    public ILocator RelationLinks(string fromTable, string toTable) =>
        Panel(fromTable).Locator($"a[data-table-link][href='#{AnchorOf(toTable)}']");

    public async Task<IReadOnlyList<string>> ReadTableNamesAsync() =>
        await Panels.EvaluateAllAsync<string[]>("panels => panels.map(p => p.dataset.tableName)");
}

/// <summary>The four counters of the queue, read at one instant.</summary>
public sealed record QueueCounts(int Pending, int Active, int Done, int Dead)
{
    public int Total => Pending + Active + Done + Dead;

    public override string ToString() => $"pending {Pending}, in progress {Active}, done {Done}, dead-letter {Dead}";
}

/// <summary>
/// The job-queue simulation inside <c>#queue</c>: settings on <c>#queue-simulation[data-queue]</c>, job
/// types <c>li[data-job-type]</c>, and the panel <c>#queue-sim</c> the script reveals, with its controls,
/// counters, lists of <c>li.queue-job[data-job-id]</c>, workers and the event log.
/// </summary>
public sealed class QueueSimulation(IPage page)
{
    public ILocator Root => page.Locator("#queue");

    public ILocator Settings => page.Locator("#queue-simulation[data-queue]");

    public ILocator JobTypes => Root.Locator("li[data-job-type]");

    public ILocator Rules => Root.Locator(".queue__rules");

    public ILocator Panel => page.Locator("#queue-sim");

    public ILocator EnqueueButton(string jobTypeName) =>
        Panel.GetByRole(AriaRole.Button, new() { Name = $"Enqueue {jobTypeName}", Exact = true });

    public ILocator EnqueueRandomButton => Panel.GetByRole(AriaRole.Button, new() { Name = "Enqueue 5 random", Exact = true });

    public ILocator ResetButton => Panel.GetByRole(AriaRole.Button, new() { Name = "Reset", Exact = true });

    public ILocator Speed => Panel.GetByRole(AriaRole.Combobox, new() { Name = "Speed", Exact = true });

    public ILocator SelectedSpeed => Speed.Locator("option:checked");

    public ILocator Counter(string name) => page.Locator($"#queue-count-{name}");

    public ILocator PendingJobs => page.Locator("#queue-pending li.queue-job");

    public ILocator DoneJobs => page.Locator("#queue-done li.queue-job");

    public ILocator DeadJobs => page.Locator("#queue-dead li.queue-job");

    public ILocator Job(ILocator list, int id) => list.And(page.Locator($"[data-job-id='{id.ToString(CultureInfo.InvariantCulture)}']"));

    public ILocator Workers => page.Locator("[id^='queue-worker-']");

    public ILocator Log => Panel.GetByRole(AriaRole.Log, new() { Name = "Event log", Exact = true });

    public ILocator LogEntries => Log.Locator("li");

    /// <summary>
    /// Log entries whose message matches <paramref name="message"/> (a pattern). An entry's text is its
    /// clock ("0:02", hidden from screen readers) followed by the message, so the pattern is anchored at the end.
    /// </summary>
    public ILocator LogEntriesMatching(string message) =>
        LogEntries.Filter(new() { HasTextRegex = new Regex($"(^|\\d){message}$") });

    /// <summary>Log entries with exactly this message.</summary>
    public ILocator LogEntry(string message) => LogEntriesMatching(Regex.Escape(message));

    public async Task<int> ReadMaxAttemptsAsync() => ReadInt(await Settings.GetAttributeAsync("data-max-attempts"));

    public async Task<int> ReadBackoffMsAsync() => ReadInt(await Settings.GetAttributeAsync("data-backoff-ms"));

    public async Task<int> ReadWorkerCountAsync() => ReadInt(await Settings.GetAttributeAsync("data-workers"));

    public async Task<IReadOnlyList<string>> ReadJobTypeNamesAsync() =>
        await JobTypes.EvaluateAllAsync<string[]>("items => items.map(item => item.dataset.name)");

    /// <summary>All four counters in one evaluation, so no job moves between two of the readings.</summary>
    public async Task<QueueCounts> ReadCountsAsync()
    {
        var counts = await page.EvaluateAsync<int[]>(
            "() => ['pending', 'active', 'done', 'dead'].map(name => Number(document.getElementById(`queue-count-${name}`).textContent))");
        return new QueueCounts(counts[0], counts[1], counts[2], counts[3]);
    }

    /// <summary>How the page words a pause in the log: "1 s", "2 s", "0.5 s".</summary>
    public static string Seconds(int milliseconds) =>
        (milliseconds / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static int ReadInt(string? value) => int.Parse(value ?? "", CultureInfo.InvariantCulture);
}
