using Microsoft.EntityFrameworkCore;
using Reminders.Infrastructure.Persistence;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Phones;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Messaging;
using Reminders.Application.Bookings;
using Reminders.Application.EService;
using Reminders.Application.Patients;
using NodaTime;

namespace Reminders.Web.Api;

/// <summary>The integration API under <c>/api/v1</c> (docs/integration.md; decision 0004: minimal API groups).</summary>
internal static class ApiEndpoints
{
    /// <summary>
    /// The provider's delivery report is posted to this path plus the SMS's token; the one place the route is
    /// defined (the dispatcher's callback URLs read it through <see cref="DeliveryReportRouteOptions"/>).
    /// </summary>
    public const string DeliveryReportPath = "/api/v1/sms/delivery/";

    public static void MapRemindersApi(this IEndpointRouteBuilder app)
    {
        var limits = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Security.RateLimitOptions>>().Value;
        var api = app.MapGroup("/api/v1").RequireAuthorization(ApiKeyAuthenticationHandler.Policy)
            .RequireRateLimiting(Security.RateLimits.ApiPolicy)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(limits.ApiMaxBodyBytes))
            // Every operation of the group: no or an unknown key, a body over the limit, the key's rate spent.
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.AddEndpointFilter(async (context, next) =>
        {
            if (ApiRequest.TooLarge(context.HttpContext) is { } tooLarge)
            {
                return tooLarge;
            }

            try
            {
                return await next(context);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return ApiRequest.PayloadTooLarge(context.HttpContext);
            }
            catch (DbUpdateConcurrencyException)
            {
                return ApiResults.Conflict();
            }
            catch (DbUpdateException e) when (UniqueViolation.Is(e))
            {
                // Two requests created the same patient, booking or unit at once: the later one retries.
                return ApiResults.Conflict();
            }
        });

        MapUnits(api);
        MapPatients(api);
        MapBookings(api);
        api.MapPost("/eservice-requests", ReceiveEServiceRequestAsync)
            .WithTags("E-service").WithSummary("A 1177 e-service request into the receiving unit's inbox (R45)")
            .Body<EServiceRequestBody>().Answers<EServiceRequestView>(StatusCodes.Status201Created).Problems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        api.MapPost("/imports/vas", ImportVasAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Infrastructure.VasImport.VasImportOptions.MaxFileBytes))
            .WithTags("VAS migration").WithSummary("Runs the VAS migration (R30–R36) on the CSV body and answers with its report")
            .Body<string>("text/csv").Answers<Infrastructure.VasImport.VasImportReport>(StatusCodes.Status200OK)
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);

        // The provider's delivery report: the unguessable per-message token is the credential, no API key.
        app.MapPost(DeliveryReportPath + "{token}", DeliveryReportAsync).AllowAnonymous()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(limits.DeliveryMaxBodyBytes))
            .WithTags("Delivery reports").WithSummary("The SMS provider's delivery report for one SMS; the token in the path is the credential")
            .Body<DeliveryReportForm>("application/x-www-form-urlencoded").Produces(StatusCodes.Status204NoContent)
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests);
    }

    private static void MapUnits(RouteGroupBuilder api)
    {
        api.MapPut("/units/{hsaId}", async (string hsaId, HttpContext http, UnitsHandler handler, CancellationToken ct) =>
        {
            var unit = ApiRequest.Hsa(hsaId, "hsaId", out var error);
            var (body, invalid) = await ApiRequest.ReadAsync<UnitRequest>(http);
            if ((error ?? invalid) is { } problem)
            {
                return problem;
            }

            var outcome = await handler.PutAsync(unit!, new UnitInput(body!.Name!, body.Clinic!, body.UsesSmsReminders!.Value, body.OffersSelfCheckIn!.Value, body.CentralReception ?? false), ApiRequest.Actor(http), ct);
            return ApiResults.From(outcome, $"/api/v1/units/{Uri.EscapeDataString(unit!.Value)}");
        }).WithTags("Units").WithSummary("Creates or updates a care unit (R40: central receptions)")
            .Body<UnitRequest>().Answers<UnitView>(StatusCodes.Status200OK, StatusCodes.Status201Created).Problems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        api.MapGet("/units", async (UnitsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.ListAsync(ct)))
            .WithTags("Units").WithSummary("Lists the care units");
    }

    private static void MapPatients(RouteGroupBuilder api)
    {
        api.MapPut("/patients/{id}", async (string id, HttpContext http, PatientsHandler handler, CancellationToken ct) =>
        {
            var pin = ApiRequest.Identity(http, id, out var error);
            var (body, invalid) = await ApiRequest.ReadAsync<PatientRequest>(http);
            if ((error ?? invalid) is { } problem)
            {
                return problem;
            }

            var mobile = body!.Mobile is null ? null : PhoneNumber.Parse(body.Mobile).Value;
            var input = new PatientInput(body.Name!, body.ProtectedIdentity!.Value, mobile, body.MobileUpdatedAt, body.ConsentIn1177!.Value);
            return ApiResults.From(await handler.PutAsync(pin!, input, ApiRequest.Actor(http), ct), $"/api/v1/patients/{pin!.Value}");
        }).WithTags("Patients").WithSummary("The population register / 1177 feed: creates or updates a patient (R15)")
            .Body<PatientRequest>().Answers<PatientView>(StatusCodes.Status200OK, StatusCodes.Status201Created).Problems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);

        api.MapGet("/patients/{id}/reminders", async (string id, HttpContext http, PatientsHandler handler, CancellationToken ct) =>
            ApiRequest.Identity(http, id, out var error) is { } pin
                ? ApiResults.From(await handler.GetSettingAsync(pin, ApiRequest.Actor(http), ct))
                : error!)
            .WithTags("Patients").WithSummary("The patient's reminder setting")
            .Answers<ReminderSettingView>(StatusCodes.Status200OK).Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        api.MapPost("/patients/{id}/reminders/activate", (string id, HttpContext http, PatientsHandler handler, CancellationToken ct) =>
            WithUnitAsync(http, id, (pin, unit) => handler.ActivateAsync(pin, unit, ApiRequest.Actor(http), ct)))
            .SettingChange("Activates reminders at the unit where the request was made (R1)").Body<UnitRefRequest>();
        api.MapPost("/patients/{id}/reminders/deactivate", (string id, HttpContext http, PatientsHandler handler, CancellationToken ct) =>
            WithUnitAsync(http, id, (pin, unit) => handler.DeactivateAsync(pin, unit, ApiRequest.Actor(http), ct)))
            .SettingChange("Deactivates reminders (R5)").Body<UnitRefRequest>();

        api.MapPut("/patients/{id}/reminders/blocks/{hsaId}", (string id, string hsaId, HttpContext http, PatientsHandler handler, CancellationToken ct) =>
            BlockAsync(http, id, hsaId, (pin, blocked, at) => handler.BlockAsync(pin, blocked, at, ApiRequest.Actor(http), ct)))
            .SettingChange("Blocks one unit's SMS for the patient (R3); the body names where the request was made").Body<UnitRefRequest>(optional: true);
        api.MapDelete("/patients/{id}/reminders/blocks/{hsaId}", (string id, string hsaId, HttpContext http, PatientsHandler handler, CancellationToken ct) =>
            BlockAsync(http, id, hsaId, (pin, blocked, at) => handler.UnblockAsync(pin, blocked, at, ApiRequest.Actor(http), ct)))
            .SettingChange("Removes a unit's block (R3); the body names where the request was made").Body<UnitRefRequest>(optional: true);

        api.MapPut("/patients/{id}/reminders/guardian-numbers", async (string id, HttpContext http, PatientsHandler handler, CancellationToken ct) =>
        {
            var pin = ApiRequest.Identity(http, id, out var error);
            var (body, invalid) = await ApiRequest.ReadAsync<GuardianNumbersRequest>(http);
            if ((error ?? invalid) is { } problem)
            {
                return problem;
            }

            var numbers = body!.Numbers!.Select(n => PhoneNumber.Parse(n).Value).ToList();
            return ApiResults.From(await handler.SetGuardianNumbersAsync(pin!, numbers, ApiRequest.Actor(http), ct));
        }).SettingChange("Sets the guardian numbers, 0–2 (R11, R13, R16)").Body<GuardianNumbersRequest>();
    }

    private static async Task<IResult> WithUnitAsync<T>(HttpContext http, string id, Func<PersonalIdentityNumber, HsaId, Task<Outcome<T>>> change)
    {
        var pin = ApiRequest.Identity(http, id, out var error);
        var (body, invalid) = await ApiRequest.ReadAsync<UnitRefRequest>(http);
        if ((error ?? invalid) is { } problem)
        {
            return problem;
        }

        return ApiResults.From(await change(pin!, HsaId.Parse(body!.Unit).Value));
    }

    private static async Task<IResult> BlockAsync<T>(HttpContext http, string id, string hsaId, Func<PersonalIdentityNumber, HsaId, HsaId?, Task<Outcome<T>>> change)
    {
        var pin = ApiRequest.Identity(http, id, out var error);
        var blocked = ApiRequest.Hsa(hsaId, "hsaId", out var hsaError);
        var (body, invalid) = await ApiRequest.ReadAsync<UnitRefRequest>(http, optional: true);
        if ((error ?? hsaError ?? invalid) is { } problem)
        {
            return problem;
        }

        var at = body?.Unit is { Length: > 0 } unit ? HsaId.Parse(unit).Value : null;
        return ApiResults.From(await change(pin!, blocked!, at));
    }

    private static void MapBookings(RouteGroupBuilder api)
    {
        api.MapPut("/bookings/{bookingId}", async (string bookingId, HttpContext http, BookingsHandler handler, IClock clock, CancellationToken ct) =>
        {
            var idError = BookingIdError(bookingId);
            var (body, invalid) = await ApiRequest.ReadAsync<BookingRequest>(http);
            if ((idError ?? invalid) is { } problem)
            {
                return problem;
            }

            var today = Stockholm.DateOf(clock.GetCurrentInstant());
            var input = new BookingInput(PersonalIdentityNumber.Parse(body!.Patient, today).Value, HsaId.Parse(body.Unit).Value, body.Start!.Value, body.BookedAt);
            return ApiResults.From(await handler.PutAsync(bookingId, input, ApiRequest.Actor(http), ct), $"/api/v1/bookings/{Uri.EscapeDataString(bookingId)}");
        }).WithTags("Bookings").WithSummary("Creates or moves a booking and plans its SMS (R20–R23)")
            .Body<BookingRequest>().Answers<BookingView>(StatusCodes.Status200OK, StatusCodes.Status201Created).Problems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);

        api.MapDelete("/bookings/{bookingId}", async (string bookingId, HttpContext http, BookingsHandler handler, CancellationToken ct) =>
            BookingIdError(bookingId) ?? ApiResults.From(await handler.CancelAsync(bookingId, ApiRequest.Actor(http), ct)))
            .WithTags("Bookings").WithSummary("Cancels a booking and its pending SMS (R22)")
            .Answers<BookingView>(StatusCodes.Status200OK).Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        api.MapPut("/bookings/{bookingId}/outcome", async (string bookingId, HttpContext http, BookingsHandler handler, CancellationToken ct) =>
        {
            var idError = BookingIdError(bookingId);
            var (body, invalid) = await ApiRequest.ReadAsync<OutcomeRequest>(http);
            if ((idError ?? invalid) is { } problem)
            {
                return problem;
            }

            return ApiResults.From(await handler.RecordOutcomeAsync(bookingId, body!.Outcome!.Value, ApiRequest.Actor(http), ct));
        }).WithTags("Bookings").WithSummary("Records whether the patient came (R61)")
            .Body<OutcomeRequest>().Answers<BookingView>(StatusCodes.Status200OK)
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/bookings/{bookingId}/messages", async (string bookingId, HttpContext http, BookingsHandler handler, CancellationToken ct) =>
            BookingIdError(bookingId) ?? ApiResults.From(await handler.MessagesAsync(bookingId, ApiRequest.Actor(http), ct)))
            .WithTags("Bookings").WithSummary("Which SMS go to whom and when, or exactly why not (R24)")
            .Answers<BookingMessagesView>(StatusCodes.Status200OK).Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
    }

    private static IResult? BookingIdError(string bookingId) =>
        bookingId.Length is 0 or > Booking.MaxExternalIdLength || bookingId.Any(char.IsControl)
            ? ApiResults.Validation("bookingId", $"Boknings-id måste vara 1–{Booking.MaxExternalIdLength} tecken.")
            : null;

    private static async Task<IResult> ReceiveEServiceRequestAsync(HttpContext http, EServiceRequestsHandler handler, IClock clock, CancellationToken ct)
    {
        var (body, invalid) = await ApiRequest.ReadAsync<EServiceRequestBody>(http);
        if (invalid is not null)
        {
            return invalid;
        }

        var today = Stockholm.DateOf(clock.GetCurrentInstant());
        var input = new EServiceRequestInput(HsaId.Parse(body!.ReceivedAtUnit).Value, PersonalIdentityNumber.Parse(body.Patient, today).Value, body.Kind!.Value,
            body.Unit is { Length: > 0 } unit ? HsaId.Parse(unit).Value : null, body.Number);
        var outcome = await handler.ReceiveAsync(input, ApiRequest.Actor(http), ct);
        return ApiResults.From(outcome, outcome.Value is { } v ? $"/api/v1/eservice-requests/{v.Id}" : null);
    }

    /// <summary>
    /// The provider's delivery report: a small url-encoded form. Unknown tokens count towards a per-address limit (a
    /// caller guessing tokens meets it; a provider's burst of valid reports never does).
    /// </summary>
    private static async Task<IResult> DeliveryReportAsync(string token, HttpContext http, DeliveryReports reports, Security.AnonymousLimits limits, CancellationToken ct)
    {
        var request = http.Request;
        var address = Security.AnonymousLimits.AddressOf(http);
        if (limits.DeliveryByAddress.RetryAfter(address) is { } after)
        {
            http.Response.Headers.RetryAfter = Security.AnonymousLimits.Seconds(after);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "För många okända leveransrapporter.",
                detail: $"Försök igen om {Security.AnonymousLimits.Seconds(after)} sekunder.");
        }

        if (ApiRequest.TooLarge(http) is { } tooLarge)
        {
            return tooLarge;
        }

        if (!request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ?? true)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Leveransrapporten ska skickas som formulär (application/x-www-form-urlencoded) med id, status och delivered.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiRequest.PayloadTooLarge(http);
        }

        var outcome = await reports.ApplyAsync(token, form["id"], form["status"], form["delivered"], ct);
        if (outcome == DeliveryReportOutcome.UnknownToken)
        {
            limits.DeliveryByAddress.CountFailure(address);
        }

        return outcome switch
        {
            DeliveryReportOutcome.Applied or DeliveryReportOutcome.AlreadyApplied => TypedResults.NoContent(),
            DeliveryReportOutcome.UnknownToken => ApiResults.NotFound("Okänt sms."),
            _ => ApiResults.Validation("status", "Status ska vara delivered eller failed, och id ska vara sms:ets."),
        };
    }

    /// <summary>
    /// R30–R36 over HTTP: the VAS CSV as the body (<c>text/csv</c>), optional <c>?goLive=yyyy-MM-dd&amp;carryBlocks=true</c>;
    /// answers with the same report as the command. A file that cannot be read is a 400, a second import while one runs
    /// (on any instance) a 409; nothing is written by either.
    /// </summary>
    private static async Task<IResult> ImportVasAsync(HttpContext http, Infrastructure.VasImport.VasImporter importer, IConfiguration configuration,
        [System.ComponentModel.Description("Go-live date for R33 and R35 (yyyy-MM-dd); default Migration:GoLive")] string? goLive,
        [System.ComponentModel.Description("true carries VAS blocks over as blocks in force (R32's option)")] string? carryBlocks,
        CancellationToken ct)
    {
        var contentType = http.Request.ContentType;
        if (contentType is not null && !contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Skicka VAS-filen som text/csv.");
        }

        var goLiveText = goLive ?? configuration["Migration:GoLive"];
        var goLiveDate = Domain.Migration.VasMigrationRules.DefaultGoLive;
        if (goLiveText is not null)
        {
            var parsed = NodaTime.Text.LocalDatePattern.Iso.Parse(goLiveText);
            if (!parsed.Success)
            {
                return ApiResults.Validation("goLive", "Ange driftstart som ÅÅÅÅ-MM-DD.");
            }

            goLiveDate = parsed.Value;
        }

        var carry = string.Equals(carryBlocks, "true", StringComparison.OrdinalIgnoreCase);
        try
        {
            var report = await importer.ImportAsync(http.Request.Body, new Infrastructure.VasImport.VasImportOptions { GoLive = goLiveDate, CarryBlocks = carry }, null, ct);
            return TypedResults.Text(report.ToJson(), "application/json", System.Text.Encoding.UTF8);
        }
        catch (Infrastructure.VasImport.VasImportFileException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Filen kunde inte läsas. Inget importerades.", detail: e.Message);
        }
        catch (Infrastructure.VasImport.VasImportBusyException e)
        {
            // Issue #16: one import at a time across instances; this one read and wrote nothing.
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "En VAS-import pågår redan. Inget importerades.", detail: e.Message);
        }
    }
}
