namespace Portfolio.Web.Shared;

/// <summary>One page of a longer list, with what a pager needs to link to its neighbours.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public static class Paging
{
    /// <summary>Page numbers from the query string are untrusted: anything below 1 is the first page.</summary>
    public static int Clamp(int? page) => page is null or < 1 ? 1 : Math.Min(page.Value, 100_000);
}
