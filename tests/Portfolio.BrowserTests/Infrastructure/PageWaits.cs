using System.Diagnostics;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>
/// Waits for an address and a load state without losing the event that ends the wait.
/// </summary>
/// <remarks>
/// Playwright for .NET's <c>WaitForURLAsync</c>, <c>WaitForLoadStateAsync</c> and <c>WaitForNavigationAsync</c> check the
/// frame's current address or load states and only then subscribe to the events that change them, which arrive on
/// another thread: a navigation or a load state that lands in between is missed, and the wait runs into its timeout
/// with the page long there (playwright-dotnet#3364, open in 1.64). On this busy 2-core machine that failed a browser
/// test about once in a few full runs ("Timeout exceeded", the log showing only a later "NetworkIdle" event, or the
/// address "never changed" after a click that had navigated). These waits poll instead: the address is read every
/// <see cref="PollInterval"/>, and a load state is awaited in short rounds, each of which finds a state that the round
/// before missed (the frame records it either way). BannedSymbols.txt keeps the racy calls out of the tests.
/// </remarks>
public static class PageWaits
{
    /// <summary>How long an action or a wait may take unless a test says otherwise (the pages' default timeout too).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LoadStateRound = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Waits until the page's address satisfies <paramref name="matches"/> and its document has reached
    /// <paramref name="state"/>; fails naming the address the page stayed at.
    /// </summary>
    public static async Task WaitForAddressAsync(this IPage page, Func<Uri, bool> matches,
        LoadState state = LoadState.Load, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var waited = Stopwatch.StartNew();
        while (!matches(new Uri(page.Url)))
        {
            if (page.IsClosed)
            {
                throw new InvalidOperationException($"The page closed (or crashed) while waiting to leave {page.Url}.");
            }

            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"The page did not reach the expected address within {limit.TotalSeconds:0} s: it stayed at {page.Url}.");
            }

            await Task.Delay(PollInterval);
        }

        // At least one round for the load state, whatever the address took.
        await page.WaitForStateAsync(state, TimeSpan.FromTicks(Math.Max(LoadStateRound.Ticks, (limit - waited.Elapsed).Ticks)));
    }

    /// <summary>
    /// Runs <paramref name="action"/> (a click or a key that loads a page) and waits until the next document has been
    /// parsed. Subscribed from before the action, so it neither misses a fast page nor returns on the document the
    /// action started from, which a wait for a load state afterwards would (that document is loaded already). The
    /// timeout counts from the end of the action; a page that closes or crashes fails the wait at once.
    /// </summary>
    public static async Task RunAndWaitForNextDocumentAsync(this IPage page, Func<Task> action, TimeSpan? timeout = null) =>
        await page.RunAndWaitForNextDocumentAsync(async () =>
        {
            await action();
            return true;
        }, timeout);

    /// <inheritdoc cref="RunAndWaitForNextDocumentAsync(IPage, Func{Task}, TimeSpan?)"/>
    /// <returns>What <paramref name="action"/> returned (say, the response to the post that loads the page).</returns>
    public static async Task<T> RunAndWaitForNextDocumentAsync<T>(this IPage page, Func<Task<T>> action, TimeSpan? timeout = null)
    {
        var parsed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnParsed(object? sender, IPage loaded) => parsed.TrySetResult();
        void OnGone(object? sender, IPage gone) =>
            parsed.TrySetException(new InvalidOperationException($"The page closed (or crashed) while waiting for the page after {gone.Url}."));
        page.DOMContentLoaded += OnParsed;
        page.Close += OnGone;
        page.Crash += OnGone;
        try
        {
            var result = await action();
            var limit = timeout ?? DefaultTimeout;
            try
            {
                await parsed.Task.WaitAsync(limit);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"No new document was parsed within {limit.TotalSeconds:0} s: the page stayed at {page.Url}.");
            }

            return result;
        }
        finally
        {
            page.DOMContentLoaded -= OnParsed;
            page.Close -= OnGone;
            page.Crash -= OnGone;
        }
    }

    /// <summary>Waits until the page's current document has reached <paramref name="state"/>.</summary>
    public static async Task WaitForStateAsync(this IPage page, LoadState state, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var waited = Stopwatch.StartNew();
        // Once the time is up, one last look at the recorded states: the state may have come in the last round's own gap.
        for (var lastLook = false; ;)
        {
            var round = lastLook ? 1 : Math.Clamp((limit - waited.Elapsed).TotalMilliseconds, 1, LoadStateRound.TotalMilliseconds);
            try
            {
#pragma warning disable RS0030 // The one place that may call it: in short rounds, so a missed state is found by the next.
                await page.WaitForLoadStateAsync(state, new() { Timeout = (float)round });
#pragma warning restore RS0030
                return;
            }
            catch (TimeoutException) when (!lastLook)
            {
                // The state has not come yet, or came between this round's check and its subscription: look again.
                lastLook = waited.Elapsed >= limit;
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"{page.Url} did not reach the \"{state}\" state within {limit.TotalSeconds:0} s.");
            }
        }
    }
}
