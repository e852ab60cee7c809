using System.Globalization;
using System.Text.RegularExpressions;
using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;
using Xunit.Sdk;
using static Microsoft.Playwright.Assertions;

namespace Portfolio.BrowserTests.Engineering;

/// <summary>
/// Each widget on /engineering works by keyboard alone: focus moves only with Tab and Shift+Tab, the widgets
/// are driven with arrow keys, Home, End, Enter and Space, and no test clicks. The expectations follow the
/// page's DOM contract (see <see cref="EngineeringPage"/>); table and column names are the sample content's
/// (umbraco/content/engineering/engineering.json), stage names and queue settings are read from the page.
/// </summary>
[Collection(PageChecksCollection.Name)]
public sealed class EngineeringWidgetTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    /// <summary>
    /// Ceiling for a queue run to settle. At Fast speed the slowest job type takes 1 s per attempt (the page
    /// squeezes the longest job to 4 s at Normal, and Fast is 4×), so the runs below settle within about
    /// 4 s; the ceiling leaves room for a loaded machine and costs nothing when the state arrives sooner.
    /// </summary>
    private const float QueueSettleTimeoutMs = 30_000;

    private static readonly string[] SampleTables = ["tenants", "users", "roles", "memberships", "projects", "audit_log"];

    /// <summary>Columns of two sample tables and their key badges, in order.</summary>
    private static readonly (string Name, string[] Keys)[] UsersColumns =
        [("id", ["PK"]), ("email", ["UQ"]), ("password_hash", []), ("display_name", []), ("created_at", [])];

    private static readonly (string Name, string[] Keys)[] MembershipsColumns =
        [("id", ["PK"]), ("tenant_id", ["FK"]), ("user_id", ["FK"]), ("role_id", ["FK"]), ("joined_at", [])];

    private static readonly Dictionary<string, string> KeyMeanings = new()
    {
        ["PK"] = "Primary key",
        ["FK"] = "Foreign key",
        ["UQ"] = "Unique",
    };

    public static TheoryData<string, string> WidgetsAtEveryViewport
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var widget in EngineeringPage.WidgetIds)
            {
                foreach (var viewport in Viewport.All)
                {
                    data.Add(widget, viewport.Name);
                }
            }

            return data;
        }
    }

    // ---- Request lifecycle ----------------------------------------------------------------------------

    [Fact]
    public async Task TheLifecycleStepsForwardAndBackByArrowKeysHomeEndAndTheNextAndPreviousButtonsAnnouncingEachStageAndDisablingTheButtonAtEitherEnd()
    {
        var page = await OpenPageAsync();
        var engineering = await EngineeringPage.OpenAsync(page);
        var lifecycle = engineering.Lifecycle;
        var stages = await lifecycle.ReadStagesAsync();
        Assert.True(stages.Count >= 3, $"The lifecycle needs at least three stages for this test; the page has {stages.Count}.");
        var last = stages.Count;

        await Expect(lifecycle.Tablist).ToHaveAccessibleNameAsync((await lifecycle.Heading.InnerTextAsync()).Trim());
        await Expect(lifecycle.Tabs).ToHaveCountAsync(stages.Count);
        foreach (var stage in stages)
        {
            await Expect(lifecycle.Tab(stage.Number)).ToHaveAccessibleNameAsync(stage.Name);
        }

        await Expect(lifecycle.Status).ToHaveAttributeAsync("aria-live", "polite");

        // The selected tab is the widget's one tab stop.
        await engineering.JumpToSectionAsync("lifecycle");
        await engineering.PressAsync("Tab");
        await ExpectStageAsync(lifecycle, stages, 1, lifecycle.Tab(1));
        Assert.True(await engineering.FocusedElementShowsFocusAsync(), "The focused stage tab shows no focus indicator.");

        // Arrows move and wrap, Home and End jump; the selection follows focus.
        foreach (var (key, stage) in new[]
                 {
                     ("ArrowRight", 2), ("ArrowDown", 3), ("ArrowLeft", 2), ("ArrowUp", 1),
                     ("ArrowLeft", last), ("ArrowRight", 1), ("End", last), ("Home", 1),
                 })
        {
            await engineering.PressAsync(key);
            await ExpectStageAsync(lifecycle, stages, stage, lifecycle.Tab(stage), $"after {key}");
        }

        // Tab order: the panel, then the buttons. Previous does nothing on the first stage and keeps focus.
        await engineering.PressAsync("Tab");
        await Expect(lifecycle.Panel(1)).ToBeFocusedAsync();
        await Expect(lifecycle.Panel(1)).ToHaveRoleAsync(AriaRole.Tabpanel);
        Assert.True(await engineering.FocusedElementShowsFocusAsync(), "The focused stage panel shows no focus indicator.");
        await engineering.PressAsync("Tab");
        await Expect(lifecycle.PreviousButton).ToHaveIdAsync("lifecycle-previous");
        await Expect(lifecycle.PreviousButton).ToBeFocusedAsync();
        Assert.True(await engineering.FocusedElementShowsFocusAsync(), "The focused Previous button shows no focus indicator.");
        await engineering.PressAsync("Enter");
        await ExpectStageAsync(lifecycle, stages, 1, lifecycle.PreviousButton, "after Previous on the first stage");

        // Next steps forward with Enter or Space and stops at the last stage without wrapping.
        await engineering.PressAsync("Tab");
        await Expect(lifecycle.NextButton).ToHaveIdAsync("lifecycle-next");
        await Expect(lifecycle.NextButton).ToBeFocusedAsync();
        for (var stage = 2; stage <= last; stage++)
        {
            var key = stage % 2 == 0 ? "Enter" : "Space";
            await engineering.PressAsync(key);
            await ExpectStageAsync(lifecycle, stages, stage, lifecycle.NextButton, $"after {key} on Next");
        }

        await engineering.PressAsync("Enter");
        await ExpectStageAsync(lifecycle, stages, last, lifecycle.NextButton, "after Next on the last stage");

        // The roving tab stop followed the buttons: Shift+Tab from the panel lands on the last stage's tab.
        await engineering.PressAsync("Shift+Tab");
        await Expect(lifecycle.PreviousButton).ToBeFocusedAsync();
        await engineering.PressAsync("Shift+Tab");
        await Expect(lifecycle.Panel(last)).ToBeFocusedAsync();
        await engineering.PressAsync("Shift+Tab");
        await ExpectStageAsync(lifecycle, stages, last, lifecycle.Tab(last), "after Shift+Tab back into the tablist");

        // Previous steps back to the first stage, where it is disabled again.
        await engineering.TabUntilFocusedAsync(lifecycle.PreviousButton, "The Previous stage button");
        for (var stage = last - 1; stage >= 1; stage--)
        {
            await engineering.PressAsync("Enter");
            await ExpectStageAsync(lifecycle, stages, stage, lifecycle.PreviousButton, "after Enter on Previous");
        }

        AssertNoPageProblems("The lifecycle stepper");
    }

    [Fact]
    public async Task ALinkToAStageOpensTheLifecycleAtThatStage()
    {
        var page = await OpenPageAsync();
        var engineering = await EngineeringPage.OpenAsync(page, "#stage-4");
        var stages = await engineering.Lifecycle.ReadStagesAsync();

        await ExpectStageAsync(engineering.Lifecycle, stages, 4, focused: null, "opened at #stage-4");
        await Expect(engineering.Lifecycle.Panel(4)).ToBeInViewportAsync();
        AssertNoPageProblems("The lifecycle opened at a stage");
    }

    // ---- Schema explorer -----------------------------------------------------------------------------

    [Fact]
    public async Task TheSchemaExplorerSelectsATableWithTheArrowKeysShowsItsColumnsWithKeyBadgesAndARelationLinkFollowedByKeyboardSelectsTheReferencedTableAndFocusesItsPanel()
    {
        var page = await OpenPageAsync();
        var engineering = await EngineeringPage.OpenAsync(page);
        var schema = engineering.Schema;
        Assert.Equal(SampleTables, await schema.ReadTableNamesAsync());

        await Expect(schema.Tablist).ToHaveAccessibleNameAsync("Tables");
        await Expect(schema.Tabs).ToHaveCountAsync(SampleTables.Length);
        foreach (var table in SampleTables)
        {
            await Expect(schema.Tab(table)).ToHaveAccessibleNameAsync(table);
        }

        await engineering.JumpToSectionAsync("schema");
        await engineering.PressAsync("Tab");
        await ExpectTableAsync(schema, "tenants", schema.Tab("tenants"));
        Assert.True(await engineering.FocusedElementShowsFocusAsync(), "The focused table tab shows no focus indicator.");

        foreach (var (key, table) in new[] { ("ArrowLeft", "audit_log"), ("ArrowRight", "tenants"), ("End", "audit_log"), ("Home", "tenants"), ("ArrowDown", "users") })
        {
            await engineering.PressAsync(key);
            await ExpectTableAsync(schema, table, schema.Tab(table), $"after {key}");
        }

        await ExpectColumnsAsync(schema, "users", UsersColumns);

        await engineering.PressAsync("ArrowRight");
        await engineering.PressAsync("ArrowRight");
        await ExpectTableAsync(schema, "memberships", schema.Tab("memberships"), "after ArrowRight twice from users");
        await ExpectColumnsAsync(schema, "memberships", MembershipsColumns);

        // memberships.user_id → users: Tab to the link, Enter.
        var toUsers = schema.RelationLinks("memberships", "users").First;
        await engineering.TabUntilFocusedAsync(toUsers, "The link from memberships.user_id to users");
        Assert.True(await engineering.FocusedElementShowsFocusAsync(), "The focused relation link shows no focus indicator.");
        await engineering.PressAsync("Enter");
        await ExpectTableAsync(schema, "users", schema.Panel("users"), "after following memberships.user_id");
        Assert.True(await engineering.FocusedElementShowsFocusAsync(), "The table panel focused by a relation link shows no focus indicator.");
        await Expect(page).ToHaveURLAsync(new Regex("#table-users$"));

        // The tab stop moved with the selection.
        await engineering.PressAsync("Shift+Tab");
        await ExpectTableAsync(schema, "users", schema.Tab("users"), "after Shift+Tab from the users panel");

        // And back, through users' "Referenced by" list.
        var toMemberships = schema.RelationLinks("users", "memberships").First;
        await engineering.TabUntilFocusedAsync(toMemberships, "The link from users to memberships (referenced by)");
        await engineering.PressAsync("Enter");
        await ExpectTableAsync(schema, "memberships", schema.Panel("memberships"), "after following users' referenced-by link");

        AssertNoPageProblems("The schema explorer");
    }

    // ---- Job-queue simulation ------------------------------------------------------------------------

    [Fact]
    public async Task TheQueueSimulationRunsAJobEnqueuedByKeyboardAtFastSpeedOnAWorkerToDoneWhenNoAttemptFailsAndTheCountersAddUp()
    {
        var page = await OpenPageAsync();
        var engineering = await EngineeringPage.OpenWithJobFailurePercentAsync(page, 0);
        var queue = engineering.Queue;
        var jobName = (await queue.ReadJobTypeNamesAsync())[0];
        var maxAttempts = await queue.ReadMaxAttemptsAsync();
        await Expect(queue.Panel).ToBeVisibleAsync();

        await SetFastSpeedByKeyboardAsync(engineering);
        await engineering.TabUntilFocusedAsync(queue.EnqueueButton(jobName), $"The \"Enqueue {jobName}\" button", backwards: true);
        Assert.True(await engineering.FocusedElementShowsFocusAsync(), "The focused Enqueue button shows no focus indicator.");
        await engineering.PressAsync("Enter");

        await Expect(queue.LogEntry($"{jobName} #1 enqueued.")).ToHaveCountAsync(1);
        Assert.Equal(1, (await queue.ReadCountsAsync()).Total);
        var name = Regex.Escape(jobName);
        await Expect(queue.LogEntriesMatching($@"Worker \d+ took {name} #1 \(attempt 1 of {maxAttempts}\)\.")).ToHaveCountAsync(1);
        await Expect(queue.LogEntry($"{jobName} #1 done on attempt 1.")).ToHaveCountAsync(1, new() { Timeout = QueueSettleTimeoutMs });
        await Expect(queue.Job(queue.DoneJobs, 1)).ToContainTextAsync($"{jobName} #1");
        await ExpectCountsAsync(queue, pending: 0, active: 0, done: 1, dead: 0);
        await Expect(queue.Workers.Filter(new() { HasText = "Idle" })).ToHaveCountAsync(await queue.ReadWorkerCountAsync());
        var firstDoneItem = await queue.Job(queue.DoneJobs, 1).ElementHandleAsync();

        // Five more at once: every job is counted in exactly one place at any moment, and all end up done.
        await engineering.TabUntilFocusedAsync(queue.EnqueueRandomButton, "The \"Enqueue 5 random\" button");
        await engineering.PressAsync("Space");
        await Expect(queue.LogEntriesMatching("Enqueued 5 jobs: .*")).ToHaveCountAsync(1);
        var counts = await queue.ReadCountsAsync();
        Assert.True(counts.Total == 6, $"Six jobs were enqueued but the counters say {counts}.");
        await Expect(queue.Counter("done")).ToHaveTextAsync("6", new() { Timeout = QueueSettleTimeoutMs });
        await ExpectCountsAsync(queue, pending: 0, active: 0, done: 6, dead: 0);
        await Expect(queue.LogEntriesMatching(".* failed .*")).ToHaveCountAsync(0);
        await Expect(queue.DeadJobs).ToHaveCountAsync(0);

        // Later events update the board in place: rebuilding it would replay every item's fade-in (a flicker)
        // and drop the node a screen reader was reading.
        await Expect(queue.Job(queue.DoneJobs, 1)).ToHaveCountAsync(1);
        Assert.True(await firstDoneItem.EvaluateAsync<bool>("item => item.isConnected"),
            "Job #1's item in the done list was replaced by a new node when later jobs finished.");

        AssertNoPageProblems("The queue simulation (no failures)");
    }

    [Fact]
    public async Task TheQueueSimulationRetriesAJobThatAlwaysFailsUpToMaxAttemptsThenMovesItToTheDeadLetterListAndResetEmptiesIt()
    {
        var page = await OpenPageAsync();
        var engineering = await EngineeringPage.OpenWithJobFailurePercentAsync(page, 100);
        var queue = engineering.Queue;
        var jobNames = await queue.ReadJobTypeNamesAsync();
        Assert.True(jobNames.Count >= 2, "The queue needs two job types for this test.");
        var maxAttempts = await queue.ReadMaxAttemptsAsync();
        var backoffMs = await queue.ReadBackoffMsAsync();

        await SetFastSpeedByKeyboardAsync(engineering);
        await engineering.TabUntilFocusedAsync(queue.EnqueueButton(jobNames[0]), $"The \"Enqueue {jobNames[0]}\" button", backwards: true);
        await engineering.PressAsync("Enter");
        await engineering.PressAsync("Tab");
        await Expect(queue.EnqueueButton(jobNames[1])).ToBeFocusedAsync();
        await engineering.PressAsync("Space");

        await Expect(queue.LogEntry($"{jobNames[0]} #1 enqueued.")).ToHaveCountAsync(1);
        await Expect(queue.LogEntry($"{jobNames[1]} #2 enqueued.")).ToHaveCountAsync(1);
        var counts = await queue.ReadCountsAsync();
        Assert.True(counts.Total == 2, $"Two jobs were enqueued but the counters say {counts}.");

        foreach (var (id, jobName) in new[] { (1, jobNames[0]), (2, jobNames[1]) })
        {
            // Each failed attempt but the last is retried after a back-off that doubles.
            for (var attempt = 1; attempt < maxAttempts; attempt++)
            {
                var pause = QueueSimulation.Seconds(backoffMs << (attempt - 1));
                await Expect(queue.LogEntry($"{jobName} #{id} failed on attempt {attempt} of {maxAttempts}; retrying in {pause}."))
                    .ToHaveCountAsync(1, new() { Timeout = QueueSettleTimeoutMs });
            }

            await Expect(queue.LogEntry($"{jobName} #{id} failed its last attempt ({maxAttempts} of {maxAttempts}) and moved to the dead-letter list."))
                .ToHaveCountAsync(1, new() { Timeout = QueueSettleTimeoutMs });
            await Expect(queue.Job(queue.DeadJobs, id)).ToContainTextAsync($"{jobName} #{id}");
            await Expect(queue.Job(queue.DeadJobs, id)).ToContainTextAsync($"failed {maxAttempts} attempts");
        }

        await ExpectCountsAsync(queue, pending: 0, active: 0, done: 0, dead: 2);
        foreach (var (id, jobName) in new[] { (1, jobNames[0]), (2, jobNames[1]) })
        {
            // Exactly max attempts: never one more after the job went to the dead-letter list.
            await Expect(queue.LogEntriesMatching($@"Worker \d+ took {Regex.Escape(jobName)} #{id} \(attempt \d+ of {maxAttempts}\)\."))
                .ToHaveCountAsync(maxAttempts);
        }

        await Expect(queue.DoneJobs).ToHaveCountAsync(0);
        await Expect(queue.LogEntriesMatching(".* done on attempt .*")).ToHaveCountAsync(0);

        // Reset, by keyboard, empties everything.
        await engineering.TabUntilFocusedAsync(queue.ResetButton, "The Reset button");
        await engineering.PressAsync("Enter");
        await ExpectCountsAsync(queue, pending: 0, active: 0, done: 0, dead: 0);
        await Expect(queue.DeadJobs).ToHaveCountAsync(0);
        await Expect(queue.LogEntries).ToHaveCountAsync(1);
        await Expect(queue.LogEntriesMatching("Reset: .*")).ToHaveCountAsync(1);

        AssertNoPageProblems("The queue simulation (every attempt fails)");
    }

    // ---- Without JavaScript ------------------------------------------------------------------------

    [Fact]
    public async Task WithoutJavaScriptEveryStageIsListedEveryTablesColumnsAreVisibleAndTheQueueShowsItsExplanationButNotItsControls()
    {
        var page = await OpenPageAsync(Viewport.Desktop, javaScriptEnabled: false);
        var engineering = await EngineeringPage.OpenAsync(page);

        var lifecycle = engineering.Lifecycle;
        var stages = await lifecycle.ReadStagesAsync();
        Assert.NotEmpty(stages);
        await Expect(lifecycle.Tablist).ToHaveCountAsync(0);
        await Expect(lifecycle.Root.GetByRole(AriaRole.List).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(stages.Count);
        foreach (var stage in stages)
        {
            Assert.False(string.IsNullOrWhiteSpace(stage.Name), $"Stage {stage.Number} has no name.");
            await Expect(lifecycle.Panel(stage.Number)).ToBeVisibleAsync();
            await Expect(lifecycle.Panel(stage.Number).GetByRole(AriaRole.Heading, new() { Name = stage.Name, Exact = true })).ToBeVisibleAsync();
        }

        await Expect(lifecycle.Controls).ToHaveCountAsync(2);
        foreach (var control in await lifecycle.Controls.AllAsync())
        {
            await Expect(control).ToBeHiddenAsync();
        }

        var schema = engineering.Schema;
        var tables = await schema.ReadTableNamesAsync();
        Assert.Equal(SampleTables, tables);
        await Expect(schema.Tablist).ToHaveCountAsync(0);
        await Expect(schema.Index).ToBeVisibleAsync();
        await Expect(schema.Index.GetByRole(AriaRole.Link)).ToHaveCountAsync(tables.Count);
        foreach (var table in tables)
        {
            await Expect(schema.Index.GetByRole(AriaRole.Link, new() { Name = table, Exact = true }))
                .ToHaveAttributeAsync("href", $"#{SchemaExplorer.AnchorOf(table)}");
            await Expect(schema.Panel(table)).ToBeVisibleAsync();
            await Expect(schema.ColumnsTable(table)).ToBeVisibleAsync();

            // Role queries skip hidden elements, so equal counts mean every column is shown.
            var columnCount = await schema.Panel(table).Locator("th[scope='row']").CountAsync();
            Assert.True(columnCount > 0, $"The table {table} lists no column.");
            await Expect(schema.ColumnNames(table)).ToHaveCountAsync(columnCount);
        }

        await Expect(schema.ColumnNames("users")).ToHaveTextAsync(UsersColumns.Select(column => column.Name));
        await Expect(schema.ColumnNames("memberships")).ToHaveTextAsync(MembershipsColumns.Select(column => column.Name));

        var queue = engineering.Queue;
        await Expect(queue.Panel).ToBeHiddenAsync();
        await Expect(queue.Root.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(queue.Rules).ToBeVisibleAsync();
        await Expect(queue.Rules).ToContainTextAsync("dead-letter list");
        await Expect(queue.Rules).ToContainTextAsync($"up to {await queue.ReadMaxAttemptsAsync()} attempts");
        var jobNames = await queue.ReadJobTypeNamesAsync();
        Assert.NotEmpty(jobNames);
        for (var index = 0; index < jobNames.Count; index++)
        {
            await Expect(queue.JobTypes.Nth(index)).ToBeVisibleAsync();
            await Expect(queue.JobTypes.Nth(index)).ToContainTextAsync(jobNames[index]);
        }

        AssertNoPageProblems("The engineering page without JavaScript");
    }

    // ---- Accessibility after interaction ----------------------------------------------------------

    [Theory]
    [MemberData(nameof(WidgetsAtEveryViewport))]
    public async Task AxeFindsNoViolationsAfterEachWidgetIsUsed(string widgetId, string viewport)
    {
        var page = await OpenPageAsync(Viewport.Named(viewport));
        EngineeringPage engineering;
        string state;
        switch (widgetId)
        {
            case "lifecycle":
                engineering = await EngineeringPage.OpenAsync(page);
                var stages = await engineering.Lifecycle.ReadStagesAsync();
                await engineering.JumpToSectionAsync("lifecycle");
                await engineering.PressAsync("Tab");
                await engineering.PressAsync("ArrowRight");
                await engineering.PressAsync("End");
                await ExpectStageAsync(engineering.Lifecycle, stages, stages.Count, engineering.Lifecycle.Tab(stages.Count), "after End");
                state = "the last lifecycle stage selected (earlier stages marked done, Next disabled)";
                break;

            case "schema":
                engineering = await EngineeringPage.OpenAsync(page);
                await engineering.JumpToSectionAsync("schema");
                await engineering.PressAsync("Tab");
                await engineering.PressAsync("End");
                await engineering.TabUntilFocusedAsync(engineering.Schema.RelationLinks("audit_log", "users").First, "The link from audit_log to users");
                await engineering.PressAsync("Enter");
                await ExpectTableAsync(engineering.Schema, "users", engineering.Schema.Panel("users"), "after following audit_log.actor_id");
                state = "a schema table opened by a relation link";
                break;

            case "queue":
                // The first job type always succeeds, the second always fails: both lists fill.
                engineering = await EngineeringPage.OpenWithJobFailurePercentAsync(page, jobType => jobType == 0 ? 0 : 100);
                var jobNames = await engineering.Queue.ReadJobTypeNamesAsync();
                await SetFastSpeedByKeyboardAsync(engineering);
                await engineering.TabUntilFocusedAsync(engineering.Queue.EnqueueButton(jobNames[0]), $"The \"Enqueue {jobNames[0]}\" button", backwards: true);
                await engineering.PressAsync("Enter");
                await engineering.PressAsync("Tab");
                await engineering.PressAsync("Enter");
                await Expect(engineering.Queue.Counter("done")).ToHaveTextAsync("1", new() { Timeout = QueueSettleTimeoutMs });
                await Expect(engineering.Queue.Counter("dead")).ToHaveTextAsync("1", new() { Timeout = QueueSettleTimeoutMs });
                state = "the queue with a done job, a dead-letter job and a full log";
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(widgetId), widgetId, "No such widget.");
        }

        await engineering.WaitForAnimationsAsync();
        await AxeChecker.AssertNoViolationsAsync(page, $"the engineering page at {viewport} width with {state}");
        AssertNoPageProblems($"The engineering page ({widgetId}, {viewport})");
    }

    // ---- Helpers -------------------------------------------------------------------------------------

    /// <summary>
    /// Stage <paramref name="number"/> is the one selected and shown: its tab is selected and the only tab
    /// stop, only its panel is visible, the status names it, and the button at an end is disabled.
    /// </summary>
    private static Task ExpectStageAsync(
        LifecycleStepper lifecycle, IReadOnlyList<LifecycleStage> stages, int number, ILocator? focused, string when = "") =>
        WithContextAsync($"Stage {number} {when}", async () =>
        {
            await Expect(lifecycle.Tab(number)).ToHaveAttributeAsync("aria-selected", "true");
            await Expect(lifecycle.Tablist.Locator("[role='tab'][aria-selected='true']")).ToHaveCountAsync(1);
            await Expect(lifecycle.Tab(number)).ToHaveAttributeAsync("tabindex", "0");
            await Expect(lifecycle.TabStops).ToHaveCountAsync(1);
            await Expect(lifecycle.Panel(number)).ToBeVisibleAsync();
            await Expect(lifecycle.VisiblePanels).ToHaveCountAsync(1);
            await Expect(lifecycle.Panel(number)).ToHaveAttributeAsync("tabindex", "0");
            await Expect(lifecycle.Status).ToHaveTextAsync(LifecycleStepper.Announcement(stages[number - 1], stages.Count));
            await Expect(lifecycle.PreviousButton).ToHaveAttributeAsync("aria-disabled", number == 1 ? "true" : "false");
            await Expect(lifecycle.NextButton).ToHaveAttributeAsync("aria-disabled", number == stages.Count ? "true" : "false");
            if (focused is not null)
            {
                await Expect(focused).ToBeFocusedAsync();
            }
        });

    /// <summary>The table is the one selected and shown, and <paramref name="focused"/> has focus.</summary>
    private static Task ExpectTableAsync(SchemaExplorer schema, string table, ILocator focused, string when = "") =>
        WithContextAsync($"Table {table} {when}", async () =>
        {
            await Expect(schema.Tab(table)).ToHaveAttributeAsync("aria-selected", "true");
            await Expect(schema.Tablist.Locator("[role='tab'][aria-selected='true']")).ToHaveCountAsync(1);
            await Expect(schema.Tab(table)).ToHaveAttributeAsync("tabindex", "0");
            await Expect(schema.TabStops).ToHaveCountAsync(1);
            await Expect(schema.Panel(table)).ToBeVisibleAsync();
            await Expect(schema.Panel(table)).ToHaveRoleAsync(AriaRole.Tabpanel);
            await Expect(schema.VisiblePanels).ToHaveCountAsync(1);
            await Expect(focused).ToBeFocusedAsync();
        });

    /// <summary>The table shows these columns as row headers, in order, each with exactly these key badges.</summary>
    private static async Task ExpectColumnsAsync(SchemaExplorer schema, string table, (string Name, string[] Keys)[] columns)
    {
        await Expect(schema.ColumnsTable(table)).ToBeVisibleAsync();
        await Expect(schema.ColumnNames(table)).ToHaveTextAsync(columns.Select(column => column.Name));
        foreach (var (column, keys) in columns)
        {
            var badges = schema.KeyBadges(table, column);
            await Expect(badges).ToHaveTextAsync(keys);
            for (var index = 0; index < keys.Length; index++)
            {
                await Expect(badges.Nth(index)).ToHaveClassAsync(new Regex($@"\bkey-badge--{keys[index].ToLowerInvariant()}\b"));
                await Expect(badges.Nth(index)).ToHaveAttributeAsync("title", KeyMeanings[keys[index]]);
            }
        }
    }

    private static async Task ExpectCountsAsync(QueueSimulation queue, int pending, int active, int done, int dead)
    {
        await Expect(queue.Counter("pending")).ToHaveTextAsync(pending.ToString(CultureInfo.InvariantCulture));
        await Expect(queue.Counter("active")).ToHaveTextAsync(active.ToString(CultureInfo.InvariantCulture));
        await Expect(queue.Counter("done")).ToHaveTextAsync(done.ToString(CultureInfo.InvariantCulture));
        await Expect(queue.Counter("dead")).ToHaveTextAsync(dead.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Runs Playwright expectations and says, when one fails, at which step of the test.</summary>
    private static async Task WithContextAsync(string step, Func<Task> expectations)
    {
        try
        {
            await expectations();
        }
        catch (PlaywrightException exception)
        {
            throw new XunitException($"{step.Trim()}: {exception.Message}");
        }
    }

    /// <summary>Jumps to the queue, tabs past the Enqueue buttons to the Speed select and picks Fast with the arrow key.</summary>
    private static async Task SetFastSpeedByKeyboardAsync(EngineeringPage engineering)
    {
        var queue = engineering.Queue;
        await engineering.JumpToSectionAsync("queue");
        await engineering.TabUntilFocusedAsync(queue.Speed, "The Speed select");
        Assert.True(await engineering.FocusedElementShowsFocusAsync(), "The focused Speed select shows no focus indicator.");
        await Expect(queue.SelectedSpeed).ToHaveTextAsync("Normal");
        await engineering.PressAsync("ArrowDown");
        await Expect(queue.SelectedSpeed).ToHaveTextAsync("Fast");
    }
}
