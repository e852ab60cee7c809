namespace Portfolio.Web.Infrastructure;

/// <summary>
/// Security headers on every response, set before the rest of the pipeline runs so that error pages,
/// static files and API answers all carry them. Scripts only from our own origin: no inline script,
/// no eval (JSON-LD data blocks are not scripts and are unaffected).
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // Only over HTTPS (directly or as the trusted proxy reports it): on a plain-HTTP site (local runs, the tests)
    // the browser would rewrite a script's requests, and the redirects they follow, to an https:// that nothing
    // answers; the media library's upload then "lost its connection" after the server had stored the file.
    internal const string ContentSecurityPolicyOverHttps = ContentSecurityPolicy + "; upgrade-insecure-requests";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = context.Request.IsHttps ? ContentSecurityPolicyOverHttps : ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        return next(context);
    }
}
