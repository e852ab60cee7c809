using Microsoft.AspNetCore.Http.HttpResults;
using Portfolio.Web.Api;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Contact;

/// <summary>Body of <c>POST /api/v1/contact-messages</c>.</summary>
public sealed record ContactMessageBody(string? Name, string? Email, string? Company, string? Subject, string? Message);

/// <summary>Answer of <c>POST /api/v1/contact-messages</c>.</summary>
public sealed record ContactMessageAccepted(Guid Id);

public static class ContactMessagesApi
{
    public static RouteGroupBuilder MapContactMessagesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/contact-messages")
            .WithTags("Contact")
            .RequireRateLimiting(RateLimitingExtensions.ContactWrites);

        group.MapPost("/", SendAsync)
            .WithName("SendContactMessage")
            .WithSummary("Send a message to the consultancy")
            .WithDescription("Stores the message and queues a notification to the owner. A message resent within a few minutes is stored once and answers with the first one's id.")
            .Accepts<ContactMessageBody>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ApiExtensions.MaxBodyBytes));
        return api;
    }

    private static async Task<Results<Accepted<ContactMessageAccepted>, ValidationProblem, ProblemHttpResult>> SendAsync(
        HttpRequest request, ContactService contact, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<ContactMessageBody>(request);
        if (error is not null)
        {
            return error;
        }

        var result = await contact.SubmitAsync(
            new ContactRequest(body!.Name, body.Email, body.Company, body.Subject, body.Message), "api", SpamVerdict.Clean, cancellationToken);
        return result switch
        {
            ContactResult.Accepted accepted => TypedResults.Accepted((string?)null, new ContactMessageAccepted(accepted.Id)),
            ContactResult.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "Some fields need your attention."),
            _ => throw new InvalidOperationException("Unknown contact result."),
        };
    }
}
