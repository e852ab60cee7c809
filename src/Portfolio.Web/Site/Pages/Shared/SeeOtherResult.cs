using Microsoft.AspNetCore.Mvc;

namespace Portfolio.Web.Site.Pages.Shared;

/// <summary>
/// 303 See Other to a local path: the end of Post/Redirect/Get. Unlike 302, 303 tells every client to
/// follow with a GET, so reloading the result page never posts the form again.
/// </summary>
public sealed class SeeOtherResult : IActionResult
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

    public Task ExecuteResultAsync(ActionContext context)
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.HttpContext.Response.Headers.Location = LocalPath;
        return Task.CompletedTask;
    }
}
