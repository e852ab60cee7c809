using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Portfolio.Web.Infrastructure;

/// <summary>
/// Maps exceptions on API requests to RFC 9457 ProblemDetails without any internal detail (no stack
/// trace, SQL or type name). Browser requests are left to the friendly <c>/error/500</c> page.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problemDetails, StorageFaults storageFaults, ILogger<ApiExceptionHandler> logger)
    : IExceptionHandler
{
    /// <summary>What a 503 asks the client to wait, in seconds: a restarting database is back in a few.</summary>
    public const int UnavailableRetryAfterSeconds = 5;

    /// <summary>
    /// The database is out of reach or a disk is full: the request did nothing wrong and may succeed in a moment.
    /// Pages and API answers both say 503 with <c>Retry-After</c>.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => Data.DatabaseErrors.IsUnavailable(exception);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // By now the request may already be rewritten to the error page's path: judge by the original one.
        var originalPath = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path;
        if (IsTheClientsDoing(httpContext, exception))
        {
            // A client that hangs up mid-body or sends a broken request is not a fault of ours: one line, no stack trace.
            LogClientFault(logger, httpContext.Request.Method, originalPath, exception.Message);
        }
        else if (IsUnavailable(exception))
        {
            // Expected while the database restarts: one line without the stack trace, which says nothing new.
            storageFaults.Observe(exception);
            LogUnavailable(logger, httpContext.Request.Method, originalPath, exception.GetBaseException().Message);
            httpContext.Response.Headers.RetryAfter = UnavailableRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, originalPath);
        }

        if (!RequestKind.IsApi(originalPath))
        {
            return false;
        }

        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read."),
            OperationCanceledException => (StatusCodes.Status499ClientClosedRequest, "The request was cancelled."),
            _ when IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable,
                "The service is briefly unavailable. Nothing was saved; please send the request again in a few seconds."),
            _ => (StatusCodes.Status500InternalServerError, "Something went wrong on our side. Please try again later."),
        };
        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails { Status = status, Title = title },
        });
    }

    private static bool IsTheClientsDoing(HttpContext context, Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode < StatusCodes.Status500InternalServerError,
        OperationCanceledException => context.RequestAborted.IsCancellationRequested,
        _ => false,
    };

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "{RequestMethod} {RequestPath} ended by the client: {Reason}")]
    private static partial void LogClientFault(ILogger logger, string requestMethod, string requestPath, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "{RequestMethod} {RequestPath} answered 503: storage unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string requestMethod, string requestPath, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Unhandled exception for {RequestMethod} {RequestPath}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestMethod, string requestPath);
}

/// <summary>Tells API requests (JSON answers) from page requests (HTML answers).</summary>
public static class RequestKind
{
    public static bool IsApi(HttpRequest request) => IsApi(request.Path);

    public static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/openapi")
        // The content delivery API lives under the backoffice's /umbraco, as Umbraco's does, but answers JSON.
        || path.StartsWithSegments("/umbraco/delivery/api");
}
