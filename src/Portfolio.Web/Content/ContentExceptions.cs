namespace Portfolio.Web.Content;

/// <summary>Base of the content engine's expected failures: each maps to a clear message, never a 500.</summary>
public abstract class ContentException(string message) : Exception(message);

public sealed class ContentNotFoundException(Guid key) : ContentException($"Content item {key} does not exist.")
{
    public Guid Key { get; } = key;
}

public sealed class UnknownDocumentTypeException(string alias) : ContentException($"There is no document type called '{alias}'.");

/// <summary>Someone saved the item since the editor opened it.</summary>
public sealed class ContentConcurrencyException(Guid key, int expected, int actual)
    : ContentException($"Content item {key} was changed by someone else (revision {actual}, you had {expected}).")
{
    public int ActualRevision { get; } = actual;
}

public sealed class SlugConflictException(string contentType, string slug, bool inRecycleBin = false)
    : ContentException($"Another {contentType}{(inRecycleBin ? " in the recycle bin" : "")} already uses the slug '{slug}'.")
{
    /// <summary>The item holding the slug is in the recycle bin: it keeps its slug so that a restore always fits back.</summary>
    public bool InRecycleBin { get; } = inRecycleBin;
}

public sealed class DocumentValidationException(IReadOnlyDictionary<string, string[]> errors)
    : ContentException("The document is not valid: " + string.Join("; ", errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}"))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>Another record still refers to the item (an expert's bookings), so it cannot be deleted for good.</summary>
public sealed class ContentInUseException(Guid key)
    : ContentException($"Content item {key} is still referred to (an expert's bookings, say) and cannot be deleted.")
{
    public Guid Key { get; } = key;
}
