using System.Runtime.InteropServices;

namespace Reminders.Web.Hosting;

/// <summary>
/// The two glibc malloc calls the app makes (<see cref="MallocArenas"/>, <see cref="NativeHeapTrimming"/>), and
/// whether this process has glibc at all: on musl or Windows both callers do nothing.
/// </summary>
internal static class Glibc
{
    private const string Library = "libc.so.6";

    /// <summary>Whether the process's C library is glibc with <c>mallopt</c> and <c>malloc_trim</c>.</summary>
    public static bool Present { get; } = Probe();

    /// <summary><c>mallopt</c>: 1 on success, 0 on error. Call only when <see cref="Present"/>.</summary>
    [DllImport(Library, EntryPoint = "mallopt", ExactSpelling = true)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for the project; ints marshal as they are.
    public static extern int Mallopt(int parameter, int value);

    /// <summary><c>malloc_trim</c>: 1 when memory was released, 0 when there was nothing to release. Call only when <see cref="Present"/>.</summary>
    [DllImport(Library, EntryPoint = "malloc_trim", ExactSpelling = true)]
    public static extern int MallocTrim(nuint pad);
#pragma warning restore SYSLIB1054

    private static bool Probe() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out var libc)
                                  && NativeLibrary.TryGetExport(libc, "mallopt", out _) && NativeLibrary.TryGetExport(libc, "malloc_trim", out _);
}
