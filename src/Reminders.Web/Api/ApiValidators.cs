using FluentValidation;
using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.EService;
using Reminders.Domain.Identity;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Time;
using Reminders.Domain.Units;

namespace Reminders.Web.Api;

// Input shape only (architecture: business rules are not validators' job). Registered by hand in
// ApiRegistration: FluentValidation.DependencyInjectionExtensions is not on the registry here.

internal static class ShapeRules
{
    public static IRuleBuilderOptionsConditions<T, string?> ValidHsaId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Custom((value, context) =>
        {
            if (value is not null && HsaId.Parse(value) is { Succeeded: false } parsed)
            {
                context.AddFailure(parsed.Reasons[0].Text);
            }
        });

    public static IRuleBuilderOptionsConditions<T, string?> ValidIdentityNumber<T>(this IRuleBuilder<T, string?> rule, IClock clock) =>
        rule.Custom((value, context) =>
        {
            if (value is not null && PersonalIdentityNumber.Parse(value, Stockholm.DateOf(clock.GetCurrentInstant())) is { Succeeded: false } parsed)
            {
                context.AddFailure(parsed.Reasons[0].Text);
            }
        });

    public static IRuleBuilderOptionsConditions<T, string?> ValidPhoneNumber<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Custom((value, context) =>
        {
            if (value is not null && PhoneNumber.Parse(value) is { Succeeded: false } parsed)
            {
                context.AddFailure(parsed.Reasons[0].Text);
            }
        });
}

internal sealed class UnitRequestValidator : AbstractValidator<UnitRequest>
{
    public UnitRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("Ange enhetens namn.")
            .MaximumLength(CareUnit.MaxNameLength).WithMessage($"Namnet får vara högst {CareUnit.MaxNameLength} tecken.");
        RuleFor(r => r.Clinic).NotEmpty().WithMessage("Ange klinik.")
            .MaximumLength(CareUnit.MaxClinicLength).WithMessage($"Kliniken får vara högst {CareUnit.MaxClinicLength} tecken.");
        RuleFor(r => r.UsesSmsReminders).NotNull().WithMessage("Ange om enheten använder sms-påminnelser.");
        RuleFor(r => r.OffersSelfCheckIn).NotNull().WithMessage("Ange om enheten erbjuder mobil självincheckning.");
    }
}

internal sealed class PatientRequestValidator : AbstractValidator<PatientRequest>
{
    public PatientRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("Ange patientens namn.")
            .MaximumLength(Patient.MaxNameLength).WithMessage($"Namnet får vara högst {Patient.MaxNameLength} tecken.");
        RuleFor(r => r.ProtectedIdentity).NotNull().WithMessage("Ange om patienten har skyddad identitet.");
        RuleFor(r => r.ConsentIn1177).NotNull().WithMessage("Ange om patienten samtyckt till sms i 1177.");
        RuleFor(r => r.Mobile).ValidPhoneNumber();
    }
}

internal sealed class UnitRefRequestValidator : AbstractValidator<UnitRefRequest>
{
    public UnitRefRequestValidator()
    {
        RuleFor(r => r.Unit).NotEmpty().WithMessage("Ange enheten (HSA-id) där ärendet görs.").ValidHsaId();
    }
}

internal sealed class GuardianNumbersRequestValidator : AbstractValidator<GuardianNumbersRequest>
{
    public GuardianNumbersRequestValidator()
    {
        RuleFor(r => r.Numbers).NotNull().WithMessage("Ange numren (en tom lista tar bort alla).");
        RuleForEach(r => r.Numbers).NotEmpty().WithMessage("Ange ett nummer.").ValidPhoneNumber();
    }
}

internal sealed class BookingRequestValidator : AbstractValidator<BookingRequest>
{
    public BookingRequestValidator(IClock clock)
    {
        RuleFor(r => r.Patient).NotEmpty().WithMessage("Ange patientens personnummer.").ValidIdentityNumber(clock);
        RuleFor(r => r.Unit).NotEmpty().WithMessage("Ange enheten (HSA-id).").ValidHsaId();
        RuleFor(r => r.Start).NotNull().WithMessage("Ange besökets starttid.");
    }
}

internal sealed class OutcomeRequestValidator : AbstractValidator<OutcomeRequest>
{
    public OutcomeRequestValidator()
    {
        RuleFor(r => r.Outcome).NotNull().WithMessage("Ange utfallet: Attended eller NoShow.")
            .NotEqual(BookingOutcome.None).WithMessage("Ange utfallet: Attended eller NoShow.");
    }
}

internal sealed class EServiceRequestBodyValidator : AbstractValidator<EServiceRequestBody>
{
    public EServiceRequestBodyValidator(IClock clock)
    {
        RuleFor(r => r.ReceivedAtUnit).NotEmpty().WithMessage("Ange enheten som tog emot ärendet.").ValidHsaId();
        RuleFor(r => r.Patient).NotEmpty().WithMessage("Ange patientens personnummer.").ValidIdentityNumber(clock);
        RuleFor(r => r.Kind).NotNull().WithMessage("Ange ärendetyp: Activate, Block, Unblock, GuardianNumber eller Deactivate.");
        RuleFor(r => r.Unit).NotEmpty().When(r => r.Kind is EServiceKind.Block or EServiceKind.Unblock)
            .WithMessage("Ange enheten som blockeringen gäller.");
        RuleFor(r => r.Unit).ValidHsaId();
        RuleFor(r => r.Number).NotEmpty().When(r => r.Kind == EServiceKind.GuardianNumber)
            .WithMessage("Ange vårdnadshavarens nummer.");
        // Stored as received for staff to act on: it must be a phone number and fit its column (whether it is a
        // mobile, R16, is explained to staff when they apply it).
        RuleFor(r => r.Number).MaximumLength(40).WithMessage("Numret får vara högst 40 tecken.").ValidPhoneNumber();
    }
}
