using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Portfolio.Web.Infrastructure;

/// <summary>
/// How every Razor Page (public and backoffice) reads what a browser posts, so that no posted form or query, however
/// mangled, turns into a 500: an unreadable form is refused first (<see cref="MalformedFormFilter"/>), keys are read
/// the way browsers write them, and a check box that gets a value it cannot read is a field error that renders again.
/// </summary>
public static class PageFormInput
{
    public static void Configure(MvcOptions mvc)
    {
        mvc.Filters.Add<MalformedFormFilter>();

        // jQuery's key notation (a[b][c]) is not how our forms name fields (Items[0].Title), and its normalizer throws
        // on a key such as "a[" instead of ignoring it. The standard form and query providers stay.
        mvc.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
        mvc.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();

        mvc.ModelBinderProviders.Insert(0, new CheckBoxValueBinderProvider());
    }

    /// <summary>Binds <c>bool</c> and <c>bool?</c> properties and parameters with <see cref="CheckBoxValueBinder"/>.</summary>
    private sealed class CheckBoxValueBinderProvider : IModelBinderProvider
    {
        public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
            context.Metadata.UnderlyingOrModelType == typeof(bool) ? new CheckBoxValueBinder() : null;
    }

    /// <summary>
    /// Reads a boolean as the framework does (the first value: a check box posts "true" before its hidden "false"),
    /// but keeps a value it cannot read out of the raw value: the check box tag helper converts the raw value back to a
    /// boolean when the page is shown again with its errors, and throws on "maybe".
    /// </summary>
    private sealed class CheckBoxValueBinder : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext bindingContext)
        {
            var values = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
            if (values == ValueProviderResult.None)
            {
                return Task.CompletedTask;
            }

            var first = values.FirstValue?.Trim();
            if (bool.TryParse(first, out var value))
            {
                bindingContext.ModelState.SetModelValue(bindingContext.ModelName, values);
                bindingContext.Result = ModelBindingResult.Success(value);
            }
            else if (string.IsNullOrEmpty(first) && bindingContext.ModelMetadata.IsReferenceOrNullableType)
            {
                bindingContext.ModelState.SetModelValue(bindingContext.ModelName, values);
                bindingContext.Result = ModelBindingResult.Success(null);
            }
            else
            {
                bindingContext.ModelState.SetModelValue(bindingContext.ModelName, rawValue: null, attemptedValue: values.FirstValue);
                bindingContext.ModelState.TryAddModelError(bindingContext.ModelName,
                    bindingContext.ModelMetadata.ModelBindingMessageProvider.AttemptedValueIsInvalidAccessor(values.FirstValue ?? "", bindingContext.ModelMetadata.GetDisplayName()));
            }

            return Task.CompletedTask;
        }
    }
}
