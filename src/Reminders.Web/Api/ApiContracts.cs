using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.EService;

namespace Reminders.Web.Api;

// Request bodies of the integration contract (docs/integration.md). Members are nullable so that a
// missing field is a validation error with the field's name, not a silent default.

/// <summary><c>PUT /units/{hsaId}</c>.</summary>
public sealed record UnitRequest(string? Name, string? Clinic, bool? UsesSmsReminders, bool? OffersSelfCheckIn, bool? CentralReception = null);

/// <summary><c>PUT /patients/{id}</c>: the population register / 1177 feed.</summary>
public sealed record PatientRequest(string? Name, bool? ProtectedIdentity, string? Mobile, Instant? MobileUpdatedAt, bool? ConsentIn1177);

/// <summary>A body naming where a request was made.</summary>
public sealed record UnitRefRequest(string? Unit);

/// <summary><c>PUT /patients/{id}/reminders/guardian-numbers</c>.</summary>
public sealed record GuardianNumbersRequest(List<string?>? Numbers);

/// <summary><c>PUT /bookings/{bookingId}</c>.</summary>
public sealed record BookingRequest(string? Patient, string? Unit, Instant? Start, Instant? BookedAt);

/// <summary><c>PUT /bookings/{bookingId}/outcome</c>.</summary>
public sealed record OutcomeRequest(BookingOutcome? Outcome);

/// <summary><c>POST /eservice-requests</c>.</summary>
public sealed record EServiceRequestBody(string? ReceivedAtUnit, string? Patient, EServiceKind? Kind, string? Unit, string? Number);
