using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Site.Pages;

/// <summary>
/// The friendly page browsers see for 404, 500 and other errors. It keeps the status code of the
/// original request and never shows internal detail; the trace id lets the owner find the log line.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : SitePageModel
{
    public int Code { get; private set; }
    public string Heading { get; private set; } = "";
    public string Advice { get; private set; } = "";

    /// <summary>
    /// The page is re-executed with the failed request's method, whatever it was (POST, PUT, TRACE...): every method
    /// runs <see cref="OnGetAsync"/>, which binds nothing. Binding would read the failed request's form, and a form
    /// that could not be read (often the very reason for a 400) would fail again and turn the page into a 500; and a
    /// form field named "Code" (the two-factor and recovery-code pages have one) would win over the route's status.
    /// </summary>
    public override void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
        context.HandlerMethod = context.ActionDescriptor.HandlerMethods.Single(handler => handler.Name is null && string.Equals(handler.HttpMethod, "Get", StringComparison.OrdinalIgnoreCase));
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var code = int.TryParse(RouteData.Values["code"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var routeCode) ? routeCode : 500;
        // Reached directly (not re-executed after an error)? Then there is no error to show.
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null ||
                         HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not null;
        if (!reExecuted)
        {
            return NotFound();
        }

        try
        {
            await LoadPublishedAsync(cancellationToken);
        }
        catch (Exception) when (code >= 500)
        {
            // The database may be the reason we are here: show the page without content.
        }

        Code = code is >= 400 and < 600 ? code : 500;
        if (Code == 500 && HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error is { } error && ApiExceptionHandler.IsUnavailable(error))
        {
            Code = 503;
            Response.Headers.RetryAfter = ApiExceptionHandler.UnavailableRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        (Heading, Advice) = Code switch
        {
            404 => ("We couldn't find that page", "The address may be mistyped, or the page has moved. Try the home page or the team roster."),
            403 => ("You don't have access to this page", "If you think you should, sign in with another account or contact us."),
            429 => ("Too many requests", $"Please wait {RetryAfterInWords()} and try again."),
            503 => ("We are briefly unavailable", $"Nothing was saved. Please wait {RetryAfterInWords()} and try again: if you were sending a form, go back and send it again, your entries are still there."),
            >= 500 => ("Something went wrong on our side", $"Please try again in a moment. If it keeps happening, write to us and mention reference {HttpContext.TraceIdentifier}."),
            _ => ("We couldn't handle that request", "Please check the address or go back and try again."),
        };
        Describe(Heading, Advice, Request.Path);
        Meta.NoIndex = true;
        Response.StatusCode = Code;
        return Page();
    }

    /// <summary>
    /// The wait the rate limiter set in <c>Retry-After</c> (seconds), in words: a sign-in window lasts minutes, and
    /// "a minute" would send the user back too early.
    /// </summary>
    private string RetryAfterInWords()
    {
        if (!int.TryParse(Response.Headers.RetryAfter.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return "a minute";
        }

        if (seconds < 60)
        {
            return seconds == 1 ? "1 second" : $"{seconds} seconds";
        }

        var minutes = (int)Math.Ceiling(seconds / 60.0);
        return minutes == 1 ? "1 minute" : $"{minutes} minutes";
    }
}
