using System.Data.Common;
using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace Reminders.Web.Hosting;

/// <summary>
/// Keeps database error texts out of the log. A provider's message can quote the row it refused: SQL Server's
/// "Violation of UNIQUE KEY constraint … The duplicate key value is (199001012385)" names a personnummer. An
/// exception whose chain holds a <see cref="DbException"/> is logged as its types, provider error codes and stack
/// traces, with every message withheld. EF's own events that print the exception into their message text
/// (SaveChangesFailed, QueryIterationFailed) are switched off in the store's options; the exception still reaches
/// the caller, and is logged through this redaction if nobody handles it.
/// </summary>
internal static class PersonalDataRedaction
{
    /// <summary><paramref name="exception"/> itself when it carries no database error, else a redacted stand-in.</summary>
    public static Exception? Redact(Exception? exception) =>
        exception is null || exception is RedactedException || !Chain(exception).Any(e => e is DbException) ? exception : new RedactedException(exception);

    /// <summary>Replaces the <see cref="ILoggerFactory"/> registered last with one whose loggers redact exceptions.</summary>
    public static void RedactDatabaseErrors(this IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ILoggerFactory));
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(sp => new RedactingLoggerFactory(registered.ImplementationInstance as ILoggerFactory
            ?? registered.ImplementationFactory?.Invoke(sp) as ILoggerFactory
            ?? (ILoggerFactory)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)));
    }

    /// <summary>A Serilog logger that redacts exceptions and hands every event to <paramref name="target"/>.</summary>
    public static Serilog.ILogger Redacting(Serilog.ILogger target) =>
        new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new RedactingSink(target)).CreateLogger();

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Skip(1).SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Types, provider codes and stack traces of the original chain; no message.</summary>
    private sealed class RedactedException(Exception original) : Exception(Describe(original))
    {
        public override string? StackTrace => original.StackTrace;

        public override string ToString()
        {
            var text = new StringBuilder();
            foreach (var e in Chain(original))
            {
                text.Append(" ---> ").AppendLine(Describe(e));
                if (e.StackTrace is { } trace)
                {
                    text.AppendLine(trace);
                }
            }

            return text.ToString(5, text.Length - 5);
        }

        private static string Describe(Exception e) => e is DbException db
            ? string.Create(CultureInfo.InvariantCulture, $"{e.GetType().FullName}: (message withheld: may hold personal data; error code {db.ErrorCode}, SQL state {db.SqlState ?? "-"})")
            : $"{e.GetType().FullName}: (message withheld: a database error follows)";
    }

    private sealed class RedactingSink(Serilog.ILogger target) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            var redacted = Redact(logEvent.Exception);
            target.Write(ReferenceEquals(redacted, logEvent.Exception)
                ? logEvent
                : new LogEvent(logEvent.Timestamp, logEvent.Level, redacted, logEvent.MessageTemplate, logEvent.Properties.Select(p => new LogEventProperty(p.Key, p.Value))));
        }
    }

    private sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, Redact(exception), (s, _) => formatter(s, exception));
    }
}
