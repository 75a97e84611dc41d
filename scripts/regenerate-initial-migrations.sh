#!/usr/bin/env bash
# Regenerates the single InitialCreate migration of both providers from the current model.
# Only for the pre-release period, while no database outside development exists; afterwards add migrations.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
rm -rf src/Reminders.Migrations.Sqlite/Migrations src/Reminders.Migrations.SqlServer/Migrations
dotnet ef migrations add InitialCreate --project src/Reminders.Migrations.Sqlite --startup-project src/Reminders.Web -o Migrations
dotnet ef migrations add InitialCreate --project src/Reminders.Migrations.SqlServer --startup-project src/Reminders.Web -o Migrations \
  -- --Database:Provider=SqlServer "--ConnectionStrings:Reminders=Server=localhost;Database=Reminders;Integrated Security=true;TrustServerCertificate=true"
