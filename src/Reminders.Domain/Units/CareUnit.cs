namespace Reminders.Domain.Units;

/// <summary>A care unit (vårdande enhet, mottagning) that books patients. Identified by its HSA-id (R51).</summary>
public sealed class CareUnit
{
    /// <summary>The longest unit name stored; R27 limits what fits in the SMS further.</summary>
    public const int MaxNameLength = 120;

    /// <summary>The longest clinic name stored.</summary>
    public const int MaxClinicLength = 120;

    private CareUnit(HsaId hsaId, string name, string clinic)
    {
        HsaId = hsaId;
        Name = name;
        Clinic = clinic;
    }

    /// <summary>The unit's HSA-id (R51).</summary>
    public HsaId HsaId { get; private set; }

    /// <summary>The name as it appears in the reminder text (R25).</summary>
    public string Name { get; private set; }

    /// <summary>The clinic the unit belongs to; reports are grouped by it (R60).</summary>
    public string Clinic { get; private set; }

    /// <summary>False when the unit does not use SMS reminders: it sends no SMS (R4).</summary>
    public bool UsesSmsReminders { get; private set; }

    /// <summary>True when the unit offers mobile self check-in: it sends the 2 h SMS (R21).</summary>
    public bool OffersSelfCheckIn { get; private set; }

    /// <summary>
    /// R40 (rev. 2): a central reception (centralreception) offers the check-in question without prompting it,
    /// until the region removes the mark. Does not change any SMS.
    /// </summary>
    public bool CentralReception { get; private set; }

    /// <summary>False when an admin deactivated the unit: it sends nothing and takes no new bookings.</summary>
    public bool Active { get; private set; } = true;

    /// <summary>Creates a unit after its input shape was validated.</summary>
    public static CareUnit Create(HsaId hsaId, string name, string clinic, bool usesSmsReminders, bool offersSelfCheckIn)
    {
        var unit = new CareUnit(hsaId, name.Trim(), clinic.Trim());
        unit.Update(name, clinic, usesSmsReminders, offersSelfCheckIn);
        return unit;
    }

    /// <summary>Updates the unit; returns true when anything that can change an SMS changed.</summary>
    public bool Update(string name, string clinic, bool usesSmsReminders, bool offersSelfCheckIn)
    {
        name = name.Trim();
        clinic = clinic.Trim();
        var affectsSms = name != Name || usesSmsReminders != UsesSmsReminders || offersSelfCheckIn != OffersSelfCheckIn;
        Name = name;
        Clinic = clinic;
        UsesSmsReminders = usesSmsReminders;
        OffersSelfCheckIn = offersSelfCheckIn;
        return affectsSms;
    }

    /// <summary>R40: marks or unmarks the unit as a central reception; returns true when it changed.</summary>
    public bool SetCentralReception(bool centralReception)
    {
        var changed = CentralReception != centralReception;
        CentralReception = centralReception;
        return changed;
    }

    /// <summary>Sets whether the unit is active; returns true when it changed.</summary>
    public bool SetActive(bool active)
    {
        var changed = Active != active;
        Active = active;
        return changed;
    }
}
