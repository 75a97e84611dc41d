namespace Reminders.Domain;

/// <summary>
/// Every reason a rule gives, in one place, so that the pages, the API and the reports word the same
/// rule the same way. Texts are Swedish: staff read them.
/// </summary>
public static class Reasons
{
    /// <summary>R1: never activated in this product.</summary>
    public static Reason NotActivated { get; } = new("R1", "NotActivated",
        "Sms-påminnelser är inte aktiverade för patienten. Fråga om patienten vill ha sms och aktivera.");

    /// <summary>R1: consented in 1177 but not activated here; a reason to ask.</summary>
    public static Reason ConsentedIn1177NotActivated { get; } = new("R1", "ConsentedIn1177NotActivated",
        "Patienten har samtyckt till sms i 1177 men är inte aktiverad här. Samtycket i 1177 aktiverar inget – fråga och aktivera.");

    /// <summary>R3: the patient blocks this unit.</summary>
    public static Reason UnitBlocked { get; } = new("R3", "UnitBlocked",
        "Patienten har blockerat sms från den här enheten. Ta bort blockeringen om patienten vill ha sms härifrån.");

    /// <summary>R4: the unit does not use SMS reminders.</summary>
    public static Reason UnitWithoutSms { get; } = new("R4", "UnitWithoutSms",
        "Enheten använder inte sms-påminnelser.");

    /// <summary>R4: the unit is deactivated.</summary>
    public static Reason UnitInactive { get; } = new("R4", "UnitInactive",
        "Enheten är inaktiverad och skickar inga sms.");

    /// <summary>R5: deactivated by staff or the resident.</summary>
    public static Reason Deactivated { get; } = new("R5", "Deactivated",
        "Sms-påminnelser är avaktiverade för patienten (spärrade helt).");

    /// <summary>R6: the patient said no at check-in.</summary>
    public static Reason Declined { get; } = new("R6", "Declined",
        "Patienten har tackat nej till sms-påminnelser.");

    /// <summary>R10: no mobile number for a patient 13 or older.</summary>
    public static Reason NoMobile { get; } = new("R10", "NoMobile",
        "Patienten har inget mobilnummer. Numret hämtas från 1177 – be patienten lägga in sitt nummer på 1177.se.");

    /// <summary>R11: a child without guardian numbers.</summary>
    public static Reason NoGuardianNumbers { get; } = new("R11", "NoGuardianNumbers",
        "Patienten är under 13 år och inget telefonnummer till vårdnadshavare är registrerat. Registrera vårdnadshavares nummer.");

    /// <summary>R11: more than two guardian numbers.</summary>
    public static Reason TooManyGuardianNumbers { get; } = new("R11", "TooManyGuardianNumbers",
        "Högst två telefonnummer till vårdnadshavare kan registreras.");

    /// <summary>R12: the mobile's known update date is before the 13th birthday and this number is not confirmed.</summary>
    public static Reason MobileRegisteredBefore13 { get; } = new("R12", "MobileRegisteredBefore13",
        "Numret registrerades före 13-årsdagen och kan vara vårdnadshavarens. Be patienten uppdatera numret på 1177.se, eller registrera här att patienten bekräftar att numret är hens eget.");

    /// <summary>R12: the mobile's update date is unknown, the patient is 13–17 and this number is not confirmed.</summary>
    public static Reason MobileDateUnknown { get; } = new("R12", "MobileDateUnknown",
        "Okänt när numret registrerades, och patienten är under 18 år: det kan vara vårdnadshavarens. Be patienten uppdatera numret på 1177.se, eller registrera här att patienten bekräftar att numret är hens eget.");

    /// <summary>R12: the confirmation needs a number.</summary>
    public static Reason NothingToConfirm { get; } = new("R12", "NoMobileToConfirm",
        "Patienten har inget mobilnummer att bekräfta.");

    /// <summary>R12: too early before the 13th birthday to confirm the number as the patient's own.</summary>
    public static Reason ConfirmUnder13 { get; } = new("R12", "ConfirmUnder13",
        "Patienten kan bekräfta sitt nummer tidigast 30 dagar före 13-årsdagen. Till dess går sms till vårdnadshavare, inte till patientens eget nummer.");

    /// <summary>R13: guardian numbers at 13 or older.</summary>
    public static Reason GuardianNumbersAt13 { get; } = new("R13", "GuardianNumbersAt13",
        "Patienten har fyllt 13 år. Inga sms går till vårdnadshavare och inga nummer till vårdnadshavare kan registreras.");

    /// <summary>R14: protected identity.</summary>
    public static Reason ProtectedIdentity { get; } = new("R14", "ProtectedIdentity",
        "Patienten har skyddad identitet. Sms kan aldrig skickas.");

    /// <summary>R16: not a mobile number.</summary>
    public static Reason NotMobile { get; } = new("R16", "NotMobile",
        "Numret är inte ett mobilnummer.");

    /// <summary>
    /// The reasons that mean no number receives the SMS (R10, R11, R12, R16): no mobile, not a mobile, a mobile not
    /// the patient's own since 13, a child without guardian numbers. R60b's "activated but no usable number".
    /// </summary>
    public static IReadOnlyList<Reason> NoRecipient { get; } = [NoMobile, NotMobile, MobileRegisteredBefore13, MobileDateUnknown, NoGuardianNumbers];

    /// <summary>R20: the booking was registered at or after its start.</summary>
    public static Reason BookedAfterStart { get; } = new("R20", "BookedAfterStart",
        "Bokningen registrerades efter besökets starttid.");

    /// <summary>R20: the start has passed.</summary>
    public static Reason StartPassed { get; } = new("R20", "StartPassed",
        "Besökstiden har redan passerat.");

    /// <summary>R20: sent at once because the booking was made (or the SMS planned) less than 48 h before.</summary>
    public static Reason ReminderAtOnce { get; } = new("R20", "AtOnce",
        "Bokad mindre än 48 timmar före besöket: påminnelsen skickas direkt.");

    /// <summary>R21: the unit does not offer mobile self check-in.</summary>
    public static Reason NoSelfCheckIn { get; } = new("R21", "NoSelfCheckIn",
        "Enheten erbjuder inte mobil självincheckning.");

    /// <summary>R21: sent at once because planned less than 2 h before.</summary>
    public static Reason SelfCheckInAtOnce { get; } = new("R21", "AtOnce",
        "Mindre än 2 timmar före besöket: sms:et om självincheckning skickas direkt.");

    /// <summary>R22: the booking is cancelled.</summary>
    public static Reason BookingCancelled { get; } = new("R22", "Cancelled",
        "Bokningen är avbokad.");

    /// <summary>R22: already sent for this booking, kind, recipient and start.</summary>
    public static Reason AlreadySent { get; } = new("R22", "AlreadySent",
        "Sms:et är redan skickat för den här bokningen och tiden.");

    /// <summary>R23: the recipient changed between planning and sending.</summary>
    public static Reason RecipientChanged { get; } = new("R23", "RecipientChanged",
        "Mottagaren har ändrats sedan sms:et planerades.");

    /// <summary>R26: no self check-in link configured.</summary>
    public static Reason NoSelfCheckInLink { get; } = new("R26", "NoSelfCheckInLink",
        "Ingen länk för mobil självincheckning är inställd.");

    /// <summary>R28: moved to the end of quiet hours.</summary>
    public static Reason MovedByQuietHours { get; } = new("R28", "QuietHours",
        "Förfallotiden låg inom tysta timmar; sms:et skickas när de är slut.");

    /// <summary>R32: not activated by the migration because of unit blocks.</summary>
    public static Reason MigrationUnitBlocks { get; } = new("R32", "MigrationUnitBlocks",
        "Inte aktiverad vid migreringen från VAS eftersom patienten hade blockerat en eller flera enheter. Fråga om patienten vill ha sms och aktivera.");

    /// <summary>R33: not activated by the migration because the mobile would not count under R12 (date before 13, or unknown at 13–17).</summary>
    public static Reason MigrationMobileBefore13 { get; } = new("R33", "MigrationMobileBefore13",
        "Inte aktiverad vid migreringen från VAS: numret var inte uppdaterat på 1177.se efter 13-årsdagen, eller okänt när det registrerades, så det kunde vara vårdnadshavarens. Fråga om numret är patientens eget och om patienten vill ha sms, och aktivera.");

    /// <summary>R30: the comment every migrated patient gets, for the migration's local date.</summary>
    public static string MigrationComment(NodaTime.LocalDate migrationDate) =>
        "RPA-migrerat " + NodaTime.Text.LocalDatePattern.Iso.Format(migrationDate);

    /// <summary>R30: the prefix of <see cref="MigrationComment"/>, to recognise an already migrated patient (R36).</summary>
    public const string MigrationCommentPrefix = "RPA-migrerat ";

    /// <summary>R31: activated by the migration (consented in VAS).</summary>
    public static Reason MigrationActivated { get; } = new("R31", "MigrationActivated",
        "Aktiverad vid migreringen från VAS eftersom patienten hade samtyckt till sms.");

    /// <summary>R31: no consent in VAS, so the migration does not activate.</summary>
    public static Reason MigrationNoConsent { get; } = new("R31", "NoConsent",
        "Inte aktiverad vid migreringen från VAS eftersom patienten inte hade samtyckt till sms.");

    /// <summary>R32 with the carry-blocks option: activated and the blocks carried over.</summary>
    public static Reason MigrationBlocksCarried { get; } = new("R32", "BlocksCarried",
        "Aktiverad vid migreringen från VAS; patientens blockerade enheter fördes över som blockeringar.");

    /// <summary>R34: not activated by the migration because of protected identity (R14).</summary>
    public static Reason MigrationProtectedIdentity { get; } = new("R34", "ProtectedIdentity",
        "Inte aktiverad vid migreringen från VAS eftersom patienten har skyddad identitet. Inga telefonnummer fördes över.");

    /// <summary>R35: guardian numbers not migrated because the child had turned 12 before go-live.</summary>
    public static Reason MigrationGuardianNumbersAfter12 { get; } = new("R35", "GuardianNumbersNotMigrated",
        "Vårdnadshavares nummer fördes inte över eftersom barnet hade fyllt 12 år före driftstarten.");

    /// <summary>R6: declined is only for a patient who is not activated.</summary>
    public static Reason DeclineWhileActivated { get; } = new("R6", "AlreadyActivated",
        "Patienten är aktiverad. Avaktivera i stället om patienten inte vill ha sms.");

    /// <summary>R15: the mobile comes from 1177; staff cannot change it (except R15b).</summary>
    public static Reason MobileFrom1177Only { get; } = new("R15", "MobileFrom1177Only",
        "Patientens mobilnummer kommer från 1177 och kan inte ändras här. Be patienten uppdatera numret på 1177.se.");

    /// <summary>R45: a request already answered.</summary>
    public static Reason RequestAlreadyHandled { get; } = new("R45", "AlreadyHandled", "Ärendet är redan hanterat.");

    /// <summary>R45: a standard answer needs text within the limit.</summary>
    public static Reason AnswerText { get; } = new("R45", "AnswerText", $"Svaret ska ha text, högst {EService.StandardAnswer.MaxTextLength} tecken.");

    /// <summary>R61: no outcome for a cancelled booking.</summary>
    public static Reason OutcomeOfCancelledBooking { get; } = new("R61", "Cancelled", "Bokningen är avbokad; inget utfall kan registreras.");

    /// <summary>R61: no outcome before the booked start.</summary>
    public static Reason OutcomeBeforeStart { get; } = new("R61", "NotStarted", "Besöket har inte börjat; utfallet kan registreras först vid besökstiden.");
}
