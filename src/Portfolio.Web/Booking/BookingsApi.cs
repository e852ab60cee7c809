using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Api;
using Portfolio.Web.Content;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Site;

namespace Portfolio.Web.Booking;

/// <summary>Body of <c>POST /api/v1/bookings</c>.</summary>
public sealed record BookingBody(string? Expert, DateTime? Start, string? Name, string? Email, string? Company, string? Topic, string? Notes, string? TimeZone);

/// <summary>A free slot: UTC times plus the expert's local times.</summary>
public sealed record FreeSlot(DateTime Start, DateTime End, string ExpertLocalStart, string ExpertLocalEnd, string ExpertTimeZone);

public static class BookingsApi
{
    public static RouteGroupBuilder MapBookingsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/experts/{slug}/slots", GetSlotsAsync)
            .WithTags("Bookings")
            .WithName("GetFreeSlots")
            .WithSummary("Free consultation slots of an expert")
            .WithDescription("Slots whose start lies in [from, from + days), in UTC, honouring existing bookings, buffers, minimum notice, the booking horizon and daylight-saving changes.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimitingExtensions.Reads);

        api.MapPost("/bookings", BookAsync)
            .WithTags("Bookings")
            .WithName("BookConsultation")
            .WithSummary("Book a consultation in a free slot")
            .WithDescription("Answers 201 with a manage URL (cancel or reschedule). 409 when the slot was taken or the expert's day is fully booked, 400 when it is not a slot the expert offers (a start before now or past the booking horizon included). An Idempotency-Key header makes retries safe: the same key and body give the same answer and never a second booking.")
            .Accepts<BookingBody>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimitingExtensions.BookingWrites)
            .WithMetadata(new RequestSizeLimitAttribute(ApiExtensions.MaxBodyBytes));
        return api;
    }

    private static async Task<Results<Ok<List<FreeSlot>>, ValidationProblem, ProblemHttpResult>> GetSlotsAsync(
        string slug, string? from, int? days, BookingService bookings, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var fromDate = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (!string.IsNullOrEmpty(from) && !DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out fromDate))
        {
            errors.Add("from", "Use a date like 2026-11-23.");
        }

        var span = days ?? 14;
        if (span is < 1 or > 62)
        {
            errors.Add("days", "Ask for 1 to 62 days.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var expert = await bookings.FindExpertAsync(slug, cancellationToken);
        if (expert is null)
        {
            // Through the problem-details service like every other error: application/problem+json with a traceId.
            return TypedResults.Problem(title: "There is no expert with that name.", statusCode: StatusCodes.Status404NotFound);
        }

        var slots = await bookings.FreeSlotsAsync(expert, fromDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), span, cancellationToken);
        var zone = expert.Zone;
        return TypedResults.Ok(slots.Select(slot => new FreeSlot(
            slot.StartUtc,
            slot.EndUtc,
            TimeZoneInfo.ConvertTimeFromUtc(slot.StartUtc, zone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            TimeZoneInfo.ConvertTimeFromUtc(slot.EndUtc, zone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            zone.Id)).ToList());
    }

    private static async Task<Results<Created<BookingConfirmation>, ValidationProblem, ProblemHttpResult>> BookAsync(
        HttpRequest request, BookingService bookings, BookingStore store, IdempotentReplies replies, PublishedContentCache content, SiteUrls urls,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<BookingBody>(request);
        if (error is not null)
        {
            return error;
        }

        IdempotencyClaim? claim = null;
        if (idempotencyKey is not null)
        {
            if (idempotencyKey.Length is 0 or > 100 || idempotencyKey.Any(char.IsControl))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Idempotency-Key"] = ["Use 1 to 100 printable characters, e.g. a UUID."] });
            }

            claim = new IdempotencyClaim(idempotencyKey, Fingerprint(body!));
            if (await ReplayAsync(store, replies, claim, cancellationToken) is { } replay)
            {
                return replay;
            }
        }

        var snapshot = await content.GetAsync(cancellationToken);
        var baseUrl = urls.BaseUrl(request, snapshot.Singleton<SiteSettings>());
        var result = await bookings.BookAsync(
            new BookingRequest(body!.Expert, body.Start, body.Name, body.Email, body.Company, body.Topic, body.Notes, body.TimeZone),
            baseUrl, claim, cancellationToken);

        switch (result)
        {
            case BookingResult.Created created:
                return TypedResults.Created($"/api/v1/bookings/{created.Confirmation.Id}", created.Confirmation);
            case BookingResult.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors, title: "Some fields need your attention.");
            case BookingResult.Taken taken:
                // A concurrent request with the same key may have won: then it is that request's answer.
                if (claim is not null && await ReplayAsync(store, replies, claim, cancellationToken) is { } winner)
                {
                    return winner;
                }

                return TypedResults.Problem(title: taken.Title, detail: taken.Reason, statusCode: StatusCodes.Status409Conflict);
            default:
                return TypedResults.Problem(title: "There is no expert with that name.", statusCode: StatusCodes.Status404NotFound);
        }
    }

    /// <summary>The earlier answer for this key, or a 422 when the key was used with another body.</summary>
    private static async Task<Results<Created<BookingConfirmation>, ValidationProblem, ProblemHttpResult>?> ReplayAsync(
        BookingStore store, IdempotentReplies replies, IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        var previous = await store.FindIdempotentAsync(IdempotencyClaim.BookingsScope, claim.Key, cancellationToken);
        if (previous is null)
        {
            return null;
        }

        if (previous.RequestHash != claim.Fingerprint)
        {
            return TypedResults.Problem(title: "This Idempotency-Key was used for a different request.",
                detail: "Use a new key for a new booking.", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        if (replies.Open(previous.ResponseJson) is not { } answer)
        {
            // The booking was made; only its stored answer cannot be decrypted any more (the key ring was lost).
            return TypedResults.Problem(title: "This Idempotency-Key was used for a booking whose answer can no longer be given.",
                detail: "The booking exists: its confirmation mail has the manage link.", statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Created($"/api/v1/bookings/{answer.Id}", answer);
    }

    /// <summary>
    /// The request as the booking sees it: the start as the UTC instant it names, so "…T09:00:00Z" and
    /// "…T10:00:00+01:00" (the same slot) count as the same request under one Idempotency-Key.
    /// </summary>
    internal static string Fingerprint(BookingBody body)
    {
        var normalised = body with { Start = body.Start is { } start ? BookingService.AsUtc(start) : null };
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(normalised, JsonSerializerOptions.Web)))).ToLowerInvariant();
    }
}
