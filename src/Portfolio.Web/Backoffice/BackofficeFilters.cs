using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Backoffice;

/// <summary>
/// Sudo mode for sensitive pages (user management, webhooks): the user must have re-entered their password within
/// <see cref="BackofficeOptions.PasswordConfirmationLifetime"/>, else they are sent to confirm it first.
/// A stolen, still-valid session cookie alone is not enough to add an administrator, to add a webhook or point one at
/// another address (it reports each new, moved and cancelled booking, each message and each publication, as it happens, to
/// the address it names), or to make a webhook's signing secret anew (which breaks the owner's own receiver, and shows the
/// new secret to whoever asked).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequireRecentPasswordAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await BackofficeSession.HasRecentPasswordConfirmationAsync(context.HttpContext))
        {
            await next();
            return;
        }

        var request = context.HttpContext.Request;
        // After confirming, come back to the page itself (a POST's form data cannot be replayed).
        var returnUrl = request.PathBase + request.Path + (HttpMethods.IsGet(request.Method) ? request.QueryString : QueryString.Empty);
        context.Result = new LocalRedirectResult($"{BackofficeRoutes.ConfirmPassword}?returnUrl={Uri.EscapeDataString(returnUrl)}");
    }
}

/// <summary>Marks the pages an administrator may use before setting up two-factor (sign-in, the set-up page itself).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class AllowWithoutTwoFactorAttribute : Attribute;

/// <summary>
/// With <see cref="BackofficeOptions.RequireTwoFactorForAdministrators"/>, sends an administrator who has no
/// authenticator yet to set one up before anything else.
/// </summary>
internal sealed class TwoFactorEnrollmentFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var user = context.HttpContext.User;
        var required = context.HttpContext.RequestServices.GetRequiredService<IOptions<BackofficeOptions>>().Value.RequireTwoFactorForAdministrators;
        var exempt = context.HandlerInstance.GetType().IsDefined(typeof(AllowWithoutTwoFactorAttribute), inherit: true);
        if (required && !exempt && user.Identity?.IsAuthenticated == true &&
            user.IsInRole(BackofficeRoles.Administrator) && !user.HasTwoFactor())
        {
            context.Result = new LocalRedirectResult(BackofficeRoutes.TwoFactorSetup);
            return;
        }

        await next();
    }
}
