using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;

namespace Portfolio.Web.Api;

/// <summary>The public JSON API under <c>/api/v1</c>, and its OpenAPI document at <c>/openapi/v1.json</c>.</summary>
public static class ApiExtensions
{
    /// <summary>Largest accepted request body; anything bigger is answered 413.</summary>
    public const int MaxBodyBytes = 32 * 1024;

    public static WebApplicationBuilder AddPublicApi(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            // Numbers in strings, comments or trailing commas are not JSON we promise to accept.
            options.SerializerOptions.AllowTrailingCommas = false;
        });
        builder.Services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "TechNext public API",
                    Version = "v1",
                    Description = "Contact messages, free consultation slots and bookings. Errors are RFC 9457 problem details with a traceId.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<ApiExamples>();
        });
        return builder;
    }

    /// <summary>The OpenAPI document of every endpoint the capabilities map under <see cref="Group"/>.</summary>
    public static WebApplication MapPublicApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    /// <summary>The route group of the API's version 1, for a capability's endpoints.</summary>
    public static RouteGroupBuilder Group(IEndpointRouteBuilder app) => app.MapGroup("/api/v1");
}
