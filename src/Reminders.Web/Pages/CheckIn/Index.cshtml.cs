using FluentValidation;
using Reminders.Domain.Reminders;
using Reminders.Domain.Identity;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Audit;
using Reminders.Application.CheckIn;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.CheckIn;

/// <summary>
/// Issue #5: today's arrivals at the user's unit with each patient's reminder state, and the search. The
/// search is a POST, so an identity number never ends up in a URL (browser history, proxy logs); a match by
/// identity number goes straight to the patient page, which is addressed by the internal id.
/// </summary>
[Authorize(Policy = Policies.CheckIn)]
public sealed class IndexModel(CheckInQueries queries, AuditLog audit) : PageModel
{
    [BindProperty]
    public SearchInput Search { get; set; } = new();

    public IReadOnlyList<ArrivalRow> Arrivals { get; private set; } = [];

    /// <summary>Search results by name; null when no name search was made.</summary>
    public IReadOnlyList<ArrivalRow>? Results { get; private set; }

    public string Today => CheckInQueries.Format(queries.Today);

    public Task OnGetAsync(CancellationToken cancellationToken) => ShowArrivalsAsync(cancellationToken);

    /// <summary>
    /// A search. A match by identity number redirects to the patient page (which logs the view, R55) without loading
    /// the day's list: it is not shown, so it is neither read nor logged as viewed. Anything else shows the page again
    /// with the list.
    /// </summary>
    public async Task<IActionResult> OnPostSearchAsync(CancellationToken cancellationToken)
    {
        var unit = HsaId.FromTrusted(User.Unit()!);
        if (!new SearchInputValidator().Validate(Search).AddTo(ModelState, nameof(Search)))
        {
            return await PageWithArrivalsAsync(cancellationToken);
        }

        var query = Search.Query!.Trim();
        if (!SearchInput.LooksLikeIdentityNumber(query))
        {
            await ShowArrivalsAsync(cancellationToken);
            Results = await queries.SearchByNameAsync(query, unit, cancellationToken);

            // R55: each patient a name search shows is a look at that patient's data.
            await Task.WhenAll(Results.Select(row =>
                audit.RecordNowAsync(AuditAction.SearchPatients, ChangeChannel.CheckIn, row.PatientId, new { by = "name", hits = Results.Count }, cancellationToken: cancellationToken)));
            return Page();
        }

        var parsed = PersonalIdentityNumber.Parse(query, queries.Today);
        if (!parsed.Succeeded)
        {
            ModelState.AddModelError("Search.Query", string.Join(" ", parsed.Reasons.Select(r => r.Text)));
            return await PageWithArrivalsAsync(cancellationToken);
        }

        if (await queries.FindAsync(parsed.Value, cancellationToken) is not { } id)
        {
            ModelState.AddModelError("Search.Query", "Ingen patient med det personnumret finns i sms-påminnelser.");
            return await PageWithArrivalsAsync(cancellationToken);
        }

        return RedirectToPage("Patient", new { id });
    }

    private async Task<IActionResult> PageWithArrivalsAsync(CancellationToken cancellationToken)
    {
        await ShowArrivalsAsync(cancellationToken);
        return Page();
    }

    private async Task ShowArrivalsAsync(CancellationToken cancellationToken)
    {
        Arrivals = await queries.ArrivalsAsync(HsaId.FromTrusted(User.Unit()!), cancellationToken);
        await AuditArrivalsAsync(cancellationToken);
    }

    /// <summary>
    /// R55: the day's list shows names and identity numbers. It is audited as one row per view that names the
    /// patients listed (internal ids); a row per patient per reload would outgrow the five-year retention.
    /// </summary>
    private Task AuditArrivalsAsync(CancellationToken cancellationToken) =>
        audit.RecordNowAsync(AuditAction.ViewArrivals, ChangeChannel.CheckIn, details: new { count = Arrivals.Count, patients = Arrivals.Select(a => a.PatientId).Distinct().ToArray() }, cancellationToken: cancellationToken);
}

/// <summary>The search box: an identity number in any R50 form, or part of a name.</summary>
public sealed class SearchInput
{
    public string? Query { get; set; }

    /// <summary>Digits mean an identity number; anything else is a name.</summary>
    public static bool LooksLikeIdentityNumber(string query) => query.Any(char.IsAsciiDigit);
}

/// <summary>Input shape of the search (the identity number itself is checked by R50's parser).</summary>
public sealed class SearchInputValidator : AbstractValidator<SearchInput>
{
    public SearchInputValidator()
    {
        RuleFor(x => x.Query).NotEmpty().WithMessage("Ange personnummer eller namn.")
            .MaximumLength(100).WithMessage("Högst 100 tecken.");
        RuleFor(x => x.Query).Must(q => q!.Trim().Length >= 2).When(x => !string.IsNullOrWhiteSpace(x.Query) && !SearchInput.LooksLikeIdentityNumber(x.Query!))
            .WithMessage("Ange minst två bokstäver av namnet.");
    }
}
