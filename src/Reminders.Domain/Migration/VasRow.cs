using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Phones;
using Reminders.Domain.Units;

namespace Reminders.Domain.Migration;

/// <summary>
/// One well-formed row of the VAS migration file (R30–R36), its fields already parsed into the domain's
/// value types. Producing it (and rejecting bad rows) is the importer's job; deciding what it means is
/// <see cref="VasMigrationRules"/>'s.
/// </summary>
/// <param name="IdentityNumber">The patient's personnummer or samordningsnummer (R50).</param>
/// <param name="SmsConsent">The VAS <c>sms_consent</c> flag (<c>J</c>).</param>
/// <param name="Mobile">The patient's mobile (R16), or null.</param>
/// <param name="MobileUpdated">The local date 1177 last delivered the mobile, or null.</param>
/// <param name="BlockedUnits">Units the patient had blocked in VAS, distinct, in file order.</param>
/// <param name="GuardianNumbers">Guardian numbers registered in VAS, distinct, in file order.</param>
/// <param name="ProtectedIdentity">The VAS <c>protected_identity</c> flag (<c>J</c>).</param>
public sealed record VasRow(
    PersonalIdentityNumber IdentityNumber,
    bool SmsConsent,
    PhoneNumber? Mobile,
    LocalDate? MobileUpdated,
    IReadOnlyList<HsaId> BlockedUnits,
    IReadOnlyList<PhoneNumber> GuardianNumbers,
    bool ProtectedIdentity);
