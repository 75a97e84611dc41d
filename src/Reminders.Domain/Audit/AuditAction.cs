namespace Reminders.Domain.Audit;

/// <summary>
/// What an audit row (R55) records. The names are stored as they are (<see cref="AuditEvent.Action"/>): renaming
/// one breaks the reading of older rows. Every member is written somewhere in the product.
/// </summary>
public enum AuditAction
{
    /// <summary>A patient's page at check-in was shown.</summary>
    ViewPatient,

    /// <summary>A patient search at check-in (one row per patient found).</summary>
    SearchPatients,

    /// <summary>The unit's arrivals list was shown (the view, with its count; each patient listed has a <see cref="ShownInList"/> row).</summary>
    ViewArrivals,

    /// <summary>
    /// R55, R57 (rev. 2): a patient was shown in a list (the arrivals list, a report's rows or its CSV, the e-service
    /// inbox): one row per patient, at the unit the patient was listed for, so the list is in the patient's log extract.
    /// </summary>
    ShownInList,

    /// <summary>The API read a reminder setting.</summary>
    ViewReminderSetting,

    /// <summary>The API read a booking's SMS and the reasons (R24).</summary>
    ViewBookingMessages,

    /// <summary>R1, R2: reminders activated.</summary>
    Activate,

    /// <summary>R5: reminders deactivated.</summary>
    Deactivate,

    /// <summary>R6, R40: the patient declined reminders.</summary>
    Decline,

    /// <summary>R3: a unit blocked.</summary>
    Block,

    /// <summary>R3: a block removed.</summary>
    Unblock,

    /// <summary>R11: the guardian numbers replaced.</summary>
    SetGuardianNumbers,

    /// <summary>R11: a guardian number added.</summary>
    AddGuardianNumber,

    /// <summary>R11: a guardian number removed.</summary>
    RemoveGuardianNumber,

    /// <summary>R12: the patient confirmed the mobile is their own.</summary>
    ConfirmMobile,

    /// <summary>R15b: a samordningsnummer holder's mobile registered at check-in.</summary>
    RegisterMobile,

    /// <summary>R13: the nightly job removed a 13-year-old's guardian numbers.</summary>
    RemoveGuardianNumbersAt13,

    /// <summary>R15: a patient created from the register feed.</summary>
    CreatePatient,

    /// <summary>R15: a patient updated from the register feed.</summary>
    UpdatePatient,

    /// <summary>R20: a booking created.</summary>
    CreateBooking,

    /// <summary>R23: a booking moved or changed.</summary>
    UpdateBooking,

    /// <summary>A booking moved to another patient (logged for the patient it left).</summary>
    MoveBookingAway,

    /// <summary>R22: a booking cancelled.</summary>
    CancelBooking,

    /// <summary>R61: a booking's outcome recorded.</summary>
    RecordOutcome,

    /// <summary>R45: a 1177 e-service request received.</summary>
    ReceiveEServiceRequest,

    /// <summary>R45: an e-service request applied or rejected.</summary>
    EServiceHandled,

    /// <summary>A unit created through the API.</summary>
    CreateUnit,

    /// <summary>A unit updated through the API.</summary>
    UpdateUnit,

    /// <summary>A unit or standard answer changed on the admin pages.</summary>
    UnitAdmin,

    /// <summary>R30–R36: a VAS import run.</summary>
    Migration,

    /// <summary>R32, R33 (rev. 2): a patient's migrated data converted, once, to a new rule book revision.</summary>
    RulesRevision,

    /// <summary>A unit's pending SMS replanned after a rule book revision or a change of the SMS policy (R26, R28).</summary>
    ReplanUnit,

    /// <summary>A staff account created or changed.</summary>
    UserAdmin,

    /// <summary>R26, R28: the SMS settings changed.</summary>
    Settings,

    /// <summary>Signed in.</summary>
    SignIn,

    /// <summary>A refused sign-in.</summary>
    SignInFailed,

    /// <summary>Signed out.</summary>
    SignOut,

    /// <summary>A refused page, endpoint or report unit.</summary>
    AccessDenied,

    /// <summary>The audit log was read (R55).</summary>
    ViewAudit,

    /// <summary>A report was shown or downloaded.</summary>
    ViewReport,
}
