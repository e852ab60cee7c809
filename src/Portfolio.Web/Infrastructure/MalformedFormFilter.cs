using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Portfolio.Web.Infrastructure;

/// <summary>
/// Reads a posted form before anything on a page does, and answers a form the framework cannot read with 400 and the
/// friendly error page, logged as a warning (the client's fault, not ours): a NUL in a value, more fields or a longer
/// key or value than <c>FormOptions</c> allows, a multipart body without a boundary or cut short. Without it the
/// antiforgery check fails on the same form with a bare 400, and the error page re-executed for that 400 read the form
/// again and answered 500.
/// </summary>
public sealed partial class MalformedFormFilter(ILogger<MalformedFormFilter> logger) : IAsyncAuthorizationFilter, IOrderedFilter
{
    // After the media upload's limits (900), which set the form reader's options for that page; before the
    // antiforgery check (1000), the first to read the form.
    public int Order => 950;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var request = context.HttpContext.Request;
        // The error page, re-executed after this very check (or another failure), has nothing more to say about the form.
        if (!request.HasFormContentType || context.HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null ||
            context.HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not null)
        {
            return;
        }

        try
        {
            await request.ReadFormAsync(context.HttpContext.RequestAborted);
        }
        catch (Exception exception) when (UnreadableFormStatus(exception, context.HttpContext.RequestAborted) is not null)
        {
            var status = UnreadableFormStatus(exception, context.HttpContext.RequestAborted)!.Value;
            LogMalformedForm(logger, request.Method, request.Path, status, exception.Message);
            context.Result = new StatusCodeResult(status);
        }
    }

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning,
        Message = "{RequestMethod} {RequestPath} refused with {StatusCode}: its form could not be read ({Reason})")]
    private static partial void LogMalformedForm(ILogger logger, string requestMethod, string requestPath, int statusCode, string reason);

    /// <summary>
    /// The status for a form that cannot be read, or null when the exception is not the client's doing. Kestrel's own
    /// refusals (a body past its size limit: 413; a body cut short: 400) keep their status; a charset the framework will
    /// not decode (UTF-7) is an unsupported media type; a multipart body that ends before its closing boundary is a 400,
    /// unless the client hung up.
    /// </summary>
    public static int? UnreadableFormStatus(Exception exception, CancellationToken requestAborted) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        NotSupportedException => StatusCodes.Status415UnsupportedMediaType,
        InvalidDataException => StatusCodes.Status400BadRequest,
        IOException when !requestAborted.IsCancellationRequested => StatusCodes.Status400BadRequest,
        _ => null,
    };
}
