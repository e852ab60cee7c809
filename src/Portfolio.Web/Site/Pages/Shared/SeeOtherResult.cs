using Microsoft.AspNetCore.Mvc;

namespace Portfolio.Web.Site.Pages.Shared;

/// <summary>
/// 303 See Other to a local path: the end of Post/Redirect/Get. Unlike 302, 303 tells every client to
/// follow with a GET, so reloading the result page never posts the form again. An <see cref="IResult"/> too, for the
/// minimal-API endpoints (the framework's redirects are 301/302/307/308 only).
/// </summary>
public sealed class SeeOtherResult : IActionResult, IResult
{
    public SeeOtherResult(string localPath)
    {
        if (!localPath.StartsWith('/') || localPath.StartsWith("//", StringComparison.Ordinal) || localPath.StartsWith("/\\", StringComparison.Ordinal))
        {
            throw new ArgumentException("Only local paths are redirect targets.", nameof(localPath));
        }

        LocalPath = localPath;
    }

    public string LocalPath { get; }

    public Task ExecuteResultAsync(ActionContext context) => ExecuteAsync(context.HttpContext);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = LocalPath;
        return Task.CompletedTask;
    }
}
