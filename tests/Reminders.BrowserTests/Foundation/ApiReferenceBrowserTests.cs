using Microsoft.Playwright;

namespace Reminders.BrowserTests.Foundation;

/// <summary>Issue #17: the Development-only API reference page, read without signing in, passes axe.</summary>
[Collection("browser")]
public sealed class ApiReferenceBrowserTests(AppServerFixture app)
{
    [Fact]
    public async Task The_API_reference_page_lists_the_operations_and_links_the_OpenAPI_document_and_is_accessible()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/Development/ApiReference");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("API-referens");
        await Assertions.Expect(page.GetByTestId("operations").GetByRole(AriaRole.Rowheader, new() { Name = "PUT /api/v1/bookings/{bookingId}", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "/openapi/v1.json" })).ToHaveAttributeAsync("href", "/openapi/v1.json");
        await AppServerFixture.AssertAccessibleAsync(page);
    }
}
