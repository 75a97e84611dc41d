using System.Text.RegularExpressions;
using NodaTime;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;

namespace Reminders.Web.Tests.CheckIn;

/// <summary>Issue #5: the patient page's question, actions, refusals, concurrency and audit, through the real forms.</summary>
public sealed class PatientPageTests(CheckInFixture fixture) : IClassFixture<CheckInFixture>
{
    private readonly CheckInFixture _f = fixture;

    private static LocalDate Adult => new(1982, 8, 8);

    [Fact]
    public async Task R55_viewing_the_patient_page_writes_ViewPatient_with_user_role_unit_when_and_channel()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Vy Testsson");

        await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));

        var row = Assert.Single(await _f.AuditAsync(patient), a => a.Action == "ViewPatient");
        Assert.Equal(_f.ReceptionId, row.Actor);
        Assert.Equal(StaffRoles.Receptionist, row.Role);
        Assert.Equal(Staff.UnitA.Value, row.Unit);
        Assert.Equal("CheckIn", row.Channel);
        Assert.Equal(_f.Factory.Time.Now, row.At);
        Assert.True(row.Succeeded);
    }

    [Fact]
    public async Task R55_concurrent_views_each_have_their_ViewPatient_row_stored_before_the_page_is_returned()
    {
        var patients = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            patients.Add(await _f.PatientAsync(Fiction.NewIdentity(Adult), "Samtidig Testsson"));
        }

        // 40 views at once share the read audit's group commit; each answer comes only after its row is committed.
        var views = Enumerable.Range(0, 40).Select(i => patients[i % patients.Count]).ToList();
        var responses = await Task.WhenAll(views.Select(p => _f.Reception.GetAsync(CheckInFixture.PatientUrl(p))));

        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode));
        foreach (var patient in patients)
        {
            var rows = (await _f.AuditAsync(patient)).Where(a => a.Action == "ViewPatient").ToList();
            Assert.Equal(views.Count(v => v == patient), rows.Count);
            Assert.All(rows, r => Assert.Equal(_f.ReceptionId, r.Actor));
        }
    }

    [Fact]
    public async Task R40_R1_no_sms_then_wants_sms_activates_at_once_plans_the_SMS_and_audits_the_change()
    {
        var id = Fiction.NewIdentity(Adult);
        var patient = await _f.PatientAsync(id, "Fråga Testsson", Fiction.Mobile(30));
        await _f.BookingAsync(id, Staff.UnitA, 15, days: 3);

        var start = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));
        var question = await _f.Reception.SubmitAsync(start, "#question-got-sms", submitSelector: "button[value=nej]");
        var second = await Forms.ParseAsync(question);
        Assert.Contains("Vill du ha sms-påminnelser?", second.QuerySelector("#question")!.TextContent, StringComparison.Ordinal);
        var after = await _f.Reception.PostAndFollowAsync(second, "#activate");

        Assert.Contains("Sms-påminnelser är aktiverade", after.Status(), StringComparison.Ordinal);
        Assert.StartsWith("Aktiverad", after.QuerySelector("[data-testid=reminder-status]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(ReminderStatus.Activated, (await _f.SettingAsync(patient)).Status);
        var change = Assert.Single(await _f.AuditAsync(patient), a => a.Action == "Activate");
        Assert.Equal((_f.ReceptionId, StaffRoles.Receptionist, Staff.UnitA.Value, "CheckIn", true), (change.Actor, change.Role, change.Unit, change.Channel, change.Succeeded));
        Assert.Contains("Planerat", after.QuerySelector("#bookings")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R40_R6_no_and_no_records_declined_with_the_date_and_the_question_is_still_asked_with_the_decline_as_context()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Avböj Testsson", Fiction.Mobile(31));

        var second = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient, "nej"));
        var after = await _f.Reception.PostAndFollowAsync(second, "#decline");

        Assert.Contains("tackat nej", after.Status(), StringComparison.Ordinal);
        var setting = await _f.SettingAsync(patient);
        Assert.Equal((ReminderStatus.Declined, _f.Today, Staff.UnitA), (setting.Status, setting.DeclinedOn!.Value, setting.StatusChangedAtUnit!));
        Assert.Single(await _f.AuditAsync(patient), a => a.Action == "Decline" && a.Succeeded && a.Unit == Staff.UnitA.Value);

        // Rev. 2: asked again at every arrival, the decline shown beside the question; revision 1 skipped it for 12 months.
        var now = _f.Factory.Time.Now;
        _f.Factory.Time.SetNow(now + Duration.FromDays(30));
        try
        {
            // A month on, the morning's session has long ended: the receptionist signs in again.
            var later = await _f.Factory.SignedInClientAsync("reception-next-month@test.invalid", [StaffRoles.Receptionist], [Staff.UnitA]);
            var next = await later.GetPageAsync(CheckInFixture.PatientUrl(patient));
            Assert.NotNull(next.QuerySelector("#question-got-sms"));
            Assert.Contains("tackade nej till sms-påminnelser 2025-03-27", next.QuerySelector("[data-testid=declined-context]")!.TextContent, StringComparison.Ordinal);
            var again = await Forms.ParseAsync(await later.SubmitAsync(next, "#question-got-sms", submitSelector: "button[value=nej]"));
            Assert.NotNull(again.QuerySelector("#activate"));
        }
        finally
        {
            _f.Factory.Time.SetNow(now);
        }
    }

    [Fact]
    public async Task R40_no_answer_is_pre_focused_so_Enter_never_takes_one()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Fokus Testsson", Fiction.Mobile(34));

        foreach (var answer in new string?[] { null, "nej", "ja" })
        {
            var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient, answer));
            // The question's panel takes the focus (Tab reaches the answers at once); no control does, so Enter takes nothing.
            Assert.Equal(["question"], page.QuerySelectorAll("[autofocus]").Select(e => e.Id));
            Assert.Empty(page.QuerySelectorAll("button[autofocus], input[autofocus], a[autofocus], select[autofocus], textarea[autofocus]"));
        }
    }

    [Fact]
    public async Task R40_R1_R24_a_yes_from_a_patient_who_is_not_activated_is_contradicted_with_the_reason_and_activation_is_offered()
    {
        var id = Fiction.NewIdentity(Adult);
        var patient = await _f.PatientAsync(id, "Minns Vas", Fiction.Mobile(35), configure: (_, s, c) =>
            s.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, c with { Channel = ChangeChannel.Migration }));
        await _f.BookingAsync(id, Staff.UnitA, 15);

        var start = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));
        var yes = await Forms.ParseAsync(await _f.Reception.SubmitAsync(start, "#question-got-sms", submitSelector: "button[value=ja]"));

        var contradiction = yes.QuerySelector("[data-testid=answer-yes-contradiction]")!.TextContent;
        Assert.Contains("inte aktiverad för sms-påminnelser", contradiction, StringComparison.Ordinal);
        Assert.Contains("VAS", contradiction, StringComparison.Ordinal);
        Assert.Equal(["MigrationUnitBlocks"], yes.QuerySelectorAll("[data-testid=yes-reasons] li").Select(li => li.GetAttribute("data-code")));
        Assert.DoesNotContain("R32", contradiction, StringComparison.Ordinal);
        Assert.Null(yes.QuerySelector("[data-testid=answer-yes]"));

        var after = await _f.Reception.PostAndFollowAsync(yes, "#activate");
        Assert.Equal(ReminderStatus.Activated, (await _f.SettingAsync(patient)).Status);
        Assert.Single(await _f.AuditAsync(patient), a => a.Action == "Activate" && a.Succeeded && a.Channel == "CheckIn");
        Assert.Contains("Sms-påminnelser är aktiverade", after.Status(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task R40_R3_R24_a_yes_when_today_s_reminder_here_was_never_planned_names_the_block_and_the_unblock_fixes_it()
    {
        var id = Fiction.NewIdentity(Adult);
        var patient = await _f.PatientAsync(id, "Blockerar Här", Fiction.Mobile(36), configure: (p, s, c) => { s.Activate(p, c); s.Block(Staff.UnitA, c); });
        await _f.BookingAsync(id, Staff.UnitA, 16);

        var yes = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient, "ja"));

        Assert.Contains("Ingen påminnelse planerades inför dagens besök här", yes.QuerySelector("[data-testid=answer-yes-contradiction]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("UnitBlocked", yes.QuerySelectorAll("[data-testid=why-reasons] li").Select(li => li.GetAttribute("data-code")));
        await _f.Reception.PostAndFollowAsync(yes, "#why-unblock");
        Assert.False((await _f.SettingAsync(patient)).IsBlocked(Staff.UnitA));
    }

    [Fact]
    public async Task R40_a_yes_is_taken_when_today_s_reminder_here_was_sent_and_questioned_when_it_only_is_planned()
    {
        var id = Fiction.NewIdentity(Adult);
        var patient = await _f.PatientAsync(id, "Fick Sms", Fiction.Mobile(37), configure: (p, s, c) => s.Activate(p, c));
        await _f.BookingAsync(id, Staff.UnitA, 17);

        var pending = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient, "ja"));
        Assert.Contains("planerad men har inte skickats", pending.QuerySelector("[data-testid=answer-yes-contradiction]")!.TextContent, StringComparison.Ordinal);

        await using (var db = _f.Factory.NewDbContext())
        {
            var reminder = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                db.Messages, m => m.Kind == Domain.Messages.SmsKind.Reminder && db.Bookings.Any(b => b.Id == m.BookingId && b.PatientId == patient));
            reminder.BeginAttempt(_f.Factory.Time.Now);
            reminder.MarkSent("provider-1", _f.Factory.Time.Now);
            await db.SaveChangesAsync();
        }

        var sent = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient, "ja"));
        Assert.Contains("påminnelsen inför dagens besök skickades", sent.QuerySelector("[data-testid=answer-yes]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(sent.QuerySelector("[data-testid=answer-yes-contradiction]"));
    }

    [Fact]
    public async Task R40_a_central_reception_offers_the_question_collapsed_without_prompting_it()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Central Testsson", Fiction.Mobile(38));
        await SetCentralReceptionAsync(true);
        try
        {
            var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));
            var details = page.QuerySelector("details[data-testid=central-question]")!;
            Assert.False(details.HasAttribute("open"));
            Assert.NotNull(details.QuerySelector("#question-got-sms"));
        }
        finally
        {
            await SetCentralReceptionAsync(false);
        }

        var elsewhere = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));
        Assert.Null(elsewhere.QuerySelector("details[data-testid=central-question]"));
        Assert.NotNull(elsewhere.QuerySelector("#question-got-sms"));
    }

    [Fact]
    public async Task R32_R3_blocks_in_VAS_are_shown_by_the_question_and_one_click_registers_one_as_a_real_block_audited_at_check_in()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Vas Block", Fiction.Mobile(39), configure: (_, s, c) =>
        {
            s.KeepVasBlock(Staff.UnitB, c.At);
            s.KeepVasBlock(Staff.UnitC, c.At);
        });

        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));
        var vas = page.QuerySelector("#question [data-testid=vas-blocks]")!;
        Assert.Equal([Staff.UnitB.Value, Staff.UnitC.Value], vas.QuerySelectorAll("li[data-unit]").Select(li => li.GetAttribute("data-unit")));
        Assert.False((await _f.SettingAsync(patient)).IsBlocked(Staff.UnitB));

        var after = await _f.Reception.PostAndFollowAsync(page, $"#vas-block-{Staff.UnitB.Value}");

        var setting = await _f.SettingAsync(patient);
        var block = Assert.Single(setting.Blocks);
        Assert.Equal((Staff.UnitB, Staff.UnitA, ChangeChannel.CheckIn), (block.Unit, block.RegisteredAtUnit!, block.Channel));
        Assert.Single(await _f.AuditAsync(patient), a => a.Action == "Block" && a.Succeeded && a.Channel == "CheckIn" && a.Unit == Staff.UnitA.Value);
        Assert.Contains("registrerad som blockering", after.QuerySelector($"[data-testid=vas-blocks] li[data-unit='{Staff.UnitB.Value}']")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(after.QuerySelector($"#vas-block-{Staff.UnitC.Value}"));
    }

    private async Task SetCentralReceptionAsync(bool central)
    {
        await using var db = _f.Factory.NewDbContext();
        var unit = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Units, u => u.HsaId == Staff.UnitA);
        unit.SetCentralReception(central);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task R6_decline_while_activated_is_refused_with_the_rule_text_and_changes_nothing()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Aktiv Nej", Fiction.Mobile(32), configure: (p, s, c) => s.Activate(p, c));
        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));

        // The page offers no decline for an activated patient: a crafted post gets the rule's answer.
        var after = await _f.Reception.PostAndFollowAsync(page.Tamper("#deactivate", handler: "Decline"), "#deactivate");

        Assert.Contains("Patienten är aktiverad. Avaktivera i stället", after.Problems(), StringComparison.Ordinal);
        Assert.Equal(ReminderStatus.Activated, (await _f.SettingAsync(patient)).Status);
        Assert.Single(await _f.AuditAsync(patient), a => a.Action == "Decline" && !a.Succeeded && a.Details!.Contains("R6", StringComparison.Ordinal));
    }

    [Fact]
    public async Task R14_activation_of_a_protected_patient_is_refused_with_the_reason_and_what_to_do_instead()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Skydd Testsson", Fiction.Mobile(33), protectedIdentity: true);
        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient, "nej"));

        var after = await _f.Reception.PostAndFollowAsync(page, "#activate");

        Assert.Contains("Patienten har skyddad identitet. Sms kan aldrig skickas.", after.Problems(), StringComparison.Ordinal);
        Assert.Contains("på papper", after.Problems(), StringComparison.Ordinal);
        Assert.Equal(ReminderStatus.NotActivated, (await _f.SettingAsync(patient)).Status);
    }

    [Fact]
    public async Task R14_no_digit_sequence_of_a_protected_patients_mobile_or_guardian_numbers_appears_in_any_page()
    {
        var child = Fiction.NewIdentity(_f.Today.PlusYears(-8));
        var childId = await _f.PatientAsync(child, "Skyddat Barn", Fiction.Mobile(34), protectedIdentity: true,
            configure: (p, s, c) => { s.Activate(p, c); s.SetGuardianNumbers(p, [Fiction.Mobile(35), Fiction.Mobile(36)], c); });
        var adult = Fiction.NewIdentity(Adult);
        var adultId = await _f.PatientAsync(adult, "Skyddad Vuxen", Fiction.Mobile(37), protectedIdentity: true);
        await _f.BookingAsync(child, Staff.UnitA, 16);
        await _f.BookingAsync(adult, Staff.UnitA, 16, 30);

        var pages = new List<string>
        {
            await Html("/CheckIn"),
            await Html(CheckInFixture.PatientUrl(childId)),
            await Html(CheckInFixture.PatientUrl(childId, "nej")),
            await Html(CheckInFixture.PatientUrl(adultId, "nej")),
        };
        var search = await _f.Reception.GetPageAsync("/CheckIn");
        pages.Add(await (await _f.Reception.SubmitAsync(search, "#search", new Dictionary<string, string> { ["Search.Query"] = "Skydda" })).Content.ReadAsStringAsync());

        foreach (var html in pages)
        {
            var digits = Regex.Replace(html, @"(?<=\d)[\s\-]+(?=\d)", "");
            foreach (var n in new[] { 34, 35, 36, 37 })
            {
                Assert.DoesNotContain($"17406{n}", digits, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task R3_any_unit_can_be_blocked_and_unblocked_from_this_unit_and_both_are_audited()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Block Testsson", Fiction.Mobile(38), configure: (p, s, c) => s.Activate(p, c));
        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));

        var blocked = await _f.Reception.PostAndFollowAsync(page, "#block", new Dictionary<string, string> { ["Block.Unit"] = Staff.UnitC.Value });
        Assert.Contains("Enheten är blockerad", blocked.Status(), StringComparison.Ordinal);
        Assert.True((await _f.SettingAsync(patient)).IsBlocked(Staff.UnitC));
        var unblocked = await _f.Reception.PostAndFollowAsync(blocked, $"#unblock-{Staff.UnitC.Value}");

        Assert.Contains("Blockeringen är borttagen", unblocked.Status(), StringComparison.Ordinal);
        Assert.False((await _f.SettingAsync(patient)).IsBlocked(Staff.UnitC));
        var audit = await _f.AuditAsync(patient);
        Assert.Contains(audit, a => a.Action == "Block" && a.Unit == Staff.UnitA.Value && a.Details!.Contains(Staff.UnitC.Value, StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "Unblock" && a.Unit == Staff.UnitA.Value && a.Details!.Contains(Staff.UnitC.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task R3_block_without_a_unit_is_a_validation_error_next_to_the_field()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Tom Block", Fiction.Mobile(39));
        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));

        var after = await _f.Reception.PostAndFollowAsync(page, "#block", new Dictionary<string, string> { ["Block.Unit"] = "" });

        Assert.Contains("Välj en enhet.", after.QuerySelector("[data-valmsg-for='Block.Unit']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R24_R41_activated_patient_blocking_this_unit_gets_the_explanation_and_the_unblock_button_fixes_it()
    {
        var id = Fiction.NewIdentity(Adult);
        var patient = await _f.PatientAsync(id, "Varför Testsson", Fiction.Mobile(40), configure: (p, s, c) => { s.Activate(p, c); s.Block(Staff.UnitA, c); });
        await _f.BookingAsync(id, Staff.UnitA, 17);

        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient, "nej"));
        var reasons = page.QuerySelectorAll("[data-testid=why-reasons] li").Select(li => li.GetAttribute("data-code")).ToList();

        // The unit offers self check-in but no link is set (R26, rev. 2): that kind's own reason comes last.
        Assert.Equal(["UnitBlocked", "NoSelfCheckInLink"], reasons);
        var after = await _f.Reception.PostAndFollowAsync(page, "#why-unblock");

        Assert.False((await _f.SettingAsync(patient)).IsBlocked(Staff.UnitA));
        Assert.Equal(["Aktiverad"], after.QuerySelectorAll("h1 ~ ul.badges .badge").Select(b => b.TextContent.Trim()).ToList());
    }

    [Fact]
    public async Task R41_R12_teen_whose_mobile_predates_13_gets_the_explanation_and_confirming_the_mobile_fixes_it()
    {
        var id = Fiction.NewIdentity(_f.Today.PlusYears(-15));
        var patient = await _f.PatientAsync(id, "Tonår Testsson", Fiction.Mobile(41), Domain.Time.Stockholm.ToInstant(_f.Today.PlusYears(-3).AtMidnight()),
            configure: (p, s, c) => s.Activate(p, c));
        await _f.BookingAsync(id, Staff.UnitA, 12, days: 4);

        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient, "nej"));
        Assert.Contains("Be patienten uppdatera numret på 1177.se", page.QuerySelector("#why")!.TextContent, StringComparison.Ordinal);
        var after = await _f.Reception.PostAndFollowAsync(page, "#why-confirm");

        Assert.Contains("bekräftar att mobilnumret är hens eget", after.Status(), StringComparison.Ordinal);
        Assert.Equal(Fiction.Mobile(41), (await _f.SettingAsync(patient)).ConfirmedMobile);
        Assert.Single(await _f.AuditAsync(patient), a => a.Action == "ConfirmMobile" && a.Succeeded && a.Unit == Staff.UnitA.Value);
        Assert.Contains("Planerat", after.QuerySelector("#bookings")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R11_R16_guardian_numbers_add_two_refuse_a_third_and_a_landline_keep_what_was_typed_and_remove()
    {
        var patient = await _f.PatientAsync(Fiction.TaxAgencyTestNumber, "Barn Testsson", configure: (p, s, c) => s.Activate(p, c));
        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));

        page = await _f.Reception.PostAndFollowAsync(page, "#add-guardian", new Dictionary<string, string> { ["Guardian.Number"] = "070-174 06 42" });
        Assert.Contains("registrerat", page.Status(), StringComparison.Ordinal);
        page = await _f.Reception.PostAndFollowAsync(page, "#add-guardian", new Dictionary<string, string> { ["Guardian.Number"] = "+46 70 174 06 43" });
        var landline = await _f.Reception.PostAndFollowAsync(page, "#add-guardian", new Dictionary<string, string> { ["Guardian.Number"] = "08-465 004 10" });
        var third = await _f.Reception.PostAndFollowAsync(page, "#add-guardian", new Dictionary<string, string> { ["Guardian.Number"] = "070-174 06 44" });
        var garbage = await _f.Reception.PostAndFollowAsync(page, "#add-guardian", new Dictionary<string, string> { ["Guardian.Number"] = "ring mamma" });

        Assert.Contains("Högst två telefonnummer till vårdnadshavare", third.QuerySelector("[data-valmsg-for='Guardian.Number']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("070-174 06 44", ((AngleSharp.Html.Dom.IHtmlInputElement)third.QuerySelector("#Guardian_Number")!).Value);
        Assert.Contains("Numret är inte ett mobilnummer.", landline.QuerySelector("[data-valmsg-for='Guardian.Number']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Numret får bara innehålla siffror", garbage.QuerySelector("[data-valmsg-for='Guardian.Number']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal([Fiction.Mobile(42), Fiction.Mobile(43)], (await _f.SettingAsync(patient)).GuardianNumbers.Select(g => g.Number).ToList());

        var removed = await _f.Reception.PostAndFollowAsync(third, "#remove-guardian-0");
        Assert.Contains("borttaget", removed.Status(), StringComparison.Ordinal);
        Assert.Equal([Fiction.Mobile(43)], (await _f.SettingAsync(patient)).GuardianNumbers.Select(g => g.Number).ToList());
        var audit = await _f.AuditAsync(patient);
        Assert.Equal(2, audit.Count(a => a.Action == "AddGuardianNumber" && a.Succeeded));
        Assert.Equal(2, audit.Count(a => a.Action == "AddGuardianNumber" && !a.Succeeded));
        Assert.Single(audit, a => a.Action == "RemoveGuardianNumber" && a.Succeeded);
        Assert.DoesNotContain(audit, a => a.Details is { } d && d.Contains("1740642", StringComparison.Ordinal));
    }

    [Fact]
    public async Task R15b_a_samordningsnummer_holders_mobile_is_registered_at_check_in_and_audited()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult, coordination: true), "Samordning Testsson");
        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));

        var after = await _f.Reception.PostAndFollowAsync(page, "#register-mobile", new Dictionary<string, string> { ["Mobile.Number"] = "070-174 06 45" });

        Assert.Contains("Mobilnumret är registrerat", after.Status(), StringComparison.Ordinal);
        var stored = await _f.PatientAsync(patient);
        Assert.Equal((Fiction.Mobile(45), MobileSource.StaffAtCheckIn), (stored.Mobile!, stored.MobileSource));
        Assert.Contains("Registrerat vid incheckning", after.QuerySelector("#mobile")!.TextContent, StringComparison.Ordinal);
        Assert.Single(await _f.AuditAsync(patient), a => a.Action == "RegisterMobile" && a.Succeeded && a.Unit == Staff.UnitA.Value);
    }

    [Fact]
    public async Task R15_the_mobile_of_a_personnummer_holder_cannot_be_edited_even_by_a_crafted_post()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Personnummer Testsson", Fiction.Mobile(46));
        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));
        Assert.Null(page.QuerySelector("#register-mobile"));

        var after = await _f.Reception.PostAndFollowAsync(
            page.Tamper("#deactivate", new Dictionary<string, string> { ["Mobile.Number"] = "070-174 06 47" }, handler: "RegisterMobile"), "#deactivate");

        Assert.Contains("kommer från 1177 och kan inte ändras här", after.Problems(), StringComparison.Ordinal);
        Assert.Equal(Fiction.Mobile(46), (await _f.PatientAsync(patient)).Mobile);
    }

    [Fact]
    public async Task R12_confirming_a_mobile_with_the_rendered_form_is_recorded()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Bekräfta Testsson", Fiction.Mobile(48));
        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));

        var after = await _f.Reception.PostAndFollowAsync(page, "#confirm-mobile");

        Assert.Contains("Bekräftat", after.QuerySelector("#mobile")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(_f.Factory.Time.Now, (await _f.SettingAsync(patient)).MobileConfirmedAt);
    }

    [Fact]
    public async Task Concurrency_two_receptionists_the_second_change_on_a_stale_page_is_refused_and_nothing_is_overwritten()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Samtidig Testsson", Fiction.Mobile(49));
        var other = await _f.Factory.SignedInClientAsync($"reception2-{patient}@test.invalid", [StaffRoles.Receptionist], [Staff.UnitB]);
        var mine = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient, "nej"));
        var theirs = await other.GetPageAsync(CheckInFixture.PatientUrl(patient, "nej"));

        await other.PostAndFollowAsync(theirs, "#decline");
        var after = await _f.Reception.PostAndFollowAsync(mine, "#activate");

        Assert.Contains("Någon annan har ändrat patientens sms-inställningar", after.Problems(), StringComparison.Ordinal);
        Assert.Equal(ReminderStatus.Declined, (await _f.SettingAsync(patient)).Status);
        Assert.Contains(await _f.AuditAsync(patient), a => a.Action == "Activate" && !a.Succeeded && a.Details!.Contains("Concurrency", StringComparison.Ordinal));

        // The re-rendered page carries the current version: the same action now goes through.
        var again = await _f.Reception.PostAndFollowAsync(after, "#status-activate");
        Assert.Contains("aktiverade", again.Status(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_posting_extra_fields_on_the_activate_form_change_nothing_but_the_activation()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(Adult), "Överpost Testsson", Fiction.Mobile(50));
        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient, "nej"));

        await _f.Reception.PostAndFollowAsync(page.Tamper("#activate", new Dictionary<string, string>
        {
            ["Mobile.Number"] = "070-174 06 51",
            ["Guardian.Number"] = "070-174 06 52",
            ["Block.Unit"] = Staff.UnitC.Value,
            ["Status"] = "Deactivated",
            ["ProtectedIdentity"] = "true",
            ["Version"] = "0",
        }), "#activate");

        var setting = await _f.SettingAsync(patient);
        var stored = await _f.PatientAsync(patient);
        Assert.Equal(ReminderStatus.Activated, setting.Status);
        Assert.Equal(Fiction.Mobile(50), stored.Mobile);
        Assert.False(stored.ProtectedIdentity);
        Assert.Empty(setting.GuardianNumbers);
        Assert.Empty(setting.Blocks);
    }

    [Fact]
    public async Task R42_a_child_turning_13_next_week_gets_the_notice()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(_f.Today.PlusYears(-13).PlusDays(7)), "Snart Tretton", configure: (p, s, c) => s.Activate(p, c));

        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));

        Assert.Contains("fyller 13 år 2025-04-03 (om 7 dagar)", page.QuerySelector("[data-testid=turning-13]")!.TextContent, StringComparison.Ordinal);
    }

    private async Task<string> Html(string url) => await (await _f.Reception.GetAsync(url)).Content.ReadAsStringAsync();
}
