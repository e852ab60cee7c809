using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Portfolio.Web.Api;

/// <summary>Adds request and response examples to the OpenAPI document, per operation.</summary>
internal sealed class ApiExamples : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, (JsonNode? Request, Dictionary<string, JsonNode> Responses)> Examples = new()
    {
        ["SendContactMessage"] = (
            new JsonObject
            {
                ["name"] = "Ada Lovelace",
                ["email"] = "ada@example.com",
                ["company"] = "Analytical Engines Ltd",
                ["subject"] = "Scaling our API",
                ["message"] = "Our API slows down at peak hours. Could we talk about caching and query tuning?",
            },
            new()
            {
                ["202"] = new JsonObject { ["id"] = "0193a1c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d" },
                ["400"] = Problem(400, "Some fields need your attention.", new JsonObject { ["email"] = new JsonArray("Enter an e-mail address like name@example.com.") }),
                ["429"] = Problem(429, "Too many requests.", null),
            }),
        ["BookConsultation"] = (
            new JsonObject
            {
                ["expert"] = "talha",
                ["start"] = "2026-11-24T10:00:00Z",
                ["name"] = "Ada Lovelace",
                ["email"] = "ada@example.com",
                ["company"] = "Analytical Engines Ltd",
                ["topic"] = "Database scaling review",
                ["notes"] = "We run PostgreSQL 15 with about 2 TB of data.",
                ["timeZone"] = "Europe/Berlin",
                ["bookingType"] = "architecture-review",
                ["answers"] = new JsonObject { ["team-size"] = "6–20", ["diagram"] = "https://example.com/architecture.png", ["nda"] = true },
            },
            new()
            {
                ["201"] = new JsonObject
                {
                    ["id"] = "0193a1c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
                    ["start"] = "2026-11-24T10:00:00Z",
                    ["end"] = "2026-11-24T10:45:00Z",
                    ["manageUrl"] = "https://technext.example.com/bookings/manage/3q2-7wEcR0x",
                    ["location"] = new JsonObject
                    {
                        ["kind"] = "video",
                        ["value"] = "https://meet.example/talha-k7m2q9xw4rtb",
                        ["url"] = "https://meet.example/talha-k7m2q9xw4rtb",
                    },
                },
                ["400"] = Problem(400, "Some fields need your attention.", new JsonObject { ["start"] = new JsonArray("Talha does not offer a consultation at that time. Choose one of the listed free slots.") }),
                ["409"] = Problem(409, "That slot is taken.", null),
                ["422"] = Problem(422, "This Idempotency-Key was used for a different request.", null),
            }),
        ["GetFreeSlots"] = (
            null,
            new()
            {
                ["200"] = new JsonArray(new JsonObject
                {
                    ["start"] = "2026-11-24T10:00:00Z",
                    ["end"] = "2026-11-24T10:45:00Z",
                    ["expertLocalStart"] = "2026-11-24T10:00",
                    ["expertLocalEnd"] = "2026-11-24T10:45",
                    ["expertTimeZone"] = "Europe/London",
                }),
                ["404"] = Problem(404, "There is no expert with that name.", null),
            }),
        ["GetBookingTypes"] = (
            null,
            new()
            {
                ["200"] = new JsonArray(new JsonObject
                {
                    ["slug"] = "architecture-review",
                    ["title"] = "Architecture review",
                    ["description"] = "Ninety minutes on your system's design, with written notes afterwards.",
                    ["minutes"] = 90,
                    ["questions"] = new JsonArray(new JsonObject
                    {
                        ["key"] = "team-size",
                        ["label"] = "How many engineers work on the system?",
                        ["help"] = "",
                        ["kind"] = "singleChoice",
                        ["required"] = true,
                        ["maxLength"] = null,
                        ["options"] = new JsonArray("1–5", "6–20", "More than 20"),
                    }),
                }),
                ["404"] = Problem(404, "There is no expert with that name.", null),
            }),
        ["GetServiceSlots"] = (
            null,
            new()
            {
                ["200"] = new JsonArray(new JsonObject
                {
                    ["start"] = "2026-11-24T10:00:00Z",
                    ["end"] = "2026-11-24T10:45:00Z",
                    ["expertLocalStart"] = "2026-11-24T10:00",
                    ["expertLocalEnd"] = "2026-11-24T10:45",
                    ["expertTimeZone"] = "UTC",
                }),
                ["404"] = Problem(404, "There is no service with that name.", null),
            }),
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is null || !Examples.TryGetValue(operation.OperationId, out var examples))
        {
            return Task.CompletedTask;
        }

        if (examples.Request is not null && operation.RequestBody?.Content is { } requestContent)
        {
            foreach (var media in requestContent.Values)
            {
                media.Example = examples.Request.DeepClone();
            }
        }

        if (operation.Responses is not null)
        {
            foreach (var (status, example) in examples.Responses)
            {
                if (operation.Responses.TryGetValue(status, out var response) && response.Content is { } content)
                {
                    foreach (var media in content.Values)
                    {
                        media.Example = example.DeepClone();
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    private static JsonObject Problem(int status, string title, JsonObject? errors)
    {
        var problem = new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110",
            ["title"] = title,
            ["status"] = status,
            ["traceId"] = "4bf92f3577b34da6a3ce929d0e0e4736",
        };
        if (errors is not null)
        {
            problem["errors"] = errors;
        }

        return problem;
    }
}
