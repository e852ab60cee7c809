using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Api;

/// <summary>
/// Reads a JSON request body with answers a client can act on: 415 for anything but JSON, 413 past the
/// endpoint's size limit, 400 with the offending field for malformed JSON or a value of the wrong type.
/// (The framework's own binding answers a bare 400 without saying which field was wrong.)
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, ProblemHttpResult? Error)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(
                title: "Send the body as JSON.",
                detail: "Set the Content-Type header to application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            return value is null
                ? (null, Invalid("", "The body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            var field = FieldFromPath(exception.Path);
            var message = field.Length == 0
                ? "The body is not valid JSON."
                : "This value has the wrong type or format.";
            return (null, Invalid(field, message));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TypedResults.Problem(title: "The request body is too large.", statusCode: StatusCodes.Status413PayloadTooLarge));
        }
    }

    private static ProblemHttpResult Invalid(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request body could not be read.",
        });

    /// <summary>"$.name" → "name"; "$" or null → "" (the body as a whole).</summary>
    private static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var end = field.IndexOfAny(['.', '[']);
        return end > 0 ? field[..end] : field;
    }
}
