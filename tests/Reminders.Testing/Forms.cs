using System.Net;
using AngleSharp;
using AngleSharp.Html.Dom;
using AngleSharp.Io;

namespace Reminders.Testing;

/// <summary>
/// Real form posts: the page is fetched and parsed, the form's fields (antiforgery token included) are
/// taken as rendered, the test's values are set, and the form is submitted as a browser would.
/// </summary>
public static class Forms
{
    /// <summary>Parses an HTML response.</summary>
    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response)
    {
        var content = await response.Content.ReadAsStringAsync();
        var context = BrowsingContext.New(Configuration.Default);
        var document = await context.OpenAsync(r =>
        {
            r.Content(content);
            r.Address(response.RequestMessage!.RequestUri!);
            r.Status(response.StatusCode);
            foreach (var header in response.Content.Headers)
            {
                r.Header(header.Key, string.Join(", ", header.Value));
            }
        });
        return (IHtmlDocument)document;
    }

    /// <summary>GETs a page and parses it; fails the test on a non-success status.</summary>
    public static async Task<IHtmlDocument> GetPageAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new Xunit.Sdk.XunitException($"GET {url} answered {(int)response.StatusCode}.");
        }

        return await ParseAsync(response);
    }

    /// <summary>
    /// Submits the form found by <paramref name="formSelector"/> with <paramref name="values"/> set by field name,
    /// using the button found by <paramref name="submitSelector"/> (its name/value is sent, as a browser does).
    /// </summary>
    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, IHtmlDocument page, string formSelector, IReadOnlyDictionary<string, string>? values = null, string? submitSelector = null)
    {
        var form = page.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new Xunit.Sdk.XunitException($"No form '{formSelector}' on the page.");
        foreach (var (name, value) in values ?? new Dictionary<string, string>())
        {
            var matches = form.Elements.Where(e => e.GetAttribute("name") == name).ToList();
            if (matches.Count == 0)
            {
                throw new Xunit.Sdk.XunitException($"The form has no field '{name}'.");
            }

            foreach (var element in matches)
            {
                switch (element)
                {
                    case IHtmlInputElement { Type: "checkbox" or "radio" } input:
                        input.IsChecked = input.Value == value || (value is "true" && input.Type == "checkbox");
                        break;
                    case IHtmlInputElement input:
                        input.Value = value;
                        break;
                    case IHtmlSelectElement select:
                        select.Value = value;
                        break;
                    case IHtmlTextAreaElement area:
                        area.Value = value;
                        break;
                }
            }
        }

        var submitter = submitSelector is null ? null : form.QuerySelector(submitSelector) as IHtmlElement
            ?? throw new Xunit.Sdk.XunitException($"No submit button '{submitSelector}' in the form.");
        var request = (submitter is null ? form.GetSubmission() : form.GetSubmission(submitter))
            ?? throw new Xunit.Sdk.XunitException("The form produced no submission.");
        var target = request.Target;
        var message = new HttpRequestMessage(new System.Net.Http.HttpMethod(request.Method.ToString().ToUpperInvariant()), target.Href);
        if (request.Method == AngleSharp.Io.HttpMethod.Post)
        {
            message.Content = new StreamContent(request.Body);
            foreach (var header in request.Headers)
            {
                if (header.Key.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase))
                {
                    message.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }
        }

        return client.SendAsync(message);
    }
}
