// The use cases every page and endpoint calls (src/Reminders.Application), and the one actor type.
global using Reminders.Application;
global using Reminders.Application.Admin;
global using Reminders.Application.Reports;
global using Reminders.Application.Units;
global using Reminders.Domain.Audit;

// What every page model uses: authorization attributes, action results, the page model base.
global using Microsoft.AspNetCore.Authorization;
global using Microsoft.AspNetCore.Mvc;
global using Microsoft.AspNetCore.Mvc.RazorPages;
