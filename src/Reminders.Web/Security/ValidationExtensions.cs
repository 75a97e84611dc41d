using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Reminders.Domain;

namespace Reminders.Web.Security;

/// <summary>Puts FluentValidation errors and rule refusals into ModelState, next to their fields.</summary>
public static class ValidationExtensions
{
    /// <summary>Adds each error under <c>{prefix}.{property}</c>; returns true when there were none.</summary>
    public static bool AddTo(this ValidationResult result, ModelStateDictionary modelState, string prefix = "Input")
    {
        foreach (var error in result.Errors)
        {
            modelState.AddModelError(string.IsNullOrEmpty(prefix) ? error.PropertyName : $"{prefix}.{error.PropertyName}", error.ErrorMessage);
        }

        return result.IsValid;
    }

    /// <summary>Adds a rule refusal's reasons under <paramref name="key"/> (empty key: the summary).</summary>
    public static void AddReasons(this ModelStateDictionary modelState, IEnumerable<Reason> reasons, string key = "")
    {
        foreach (var reason in reasons)
        {
            modelState.AddModelError(key, reason.Text);
        }
    }
}
