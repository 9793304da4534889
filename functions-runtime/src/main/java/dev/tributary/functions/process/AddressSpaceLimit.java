package dev.tributary.functions.process;

import java.util.List;

/**
 * How a process function's {@code memory} is enforced: an address-space limit
 * ({@code prlimit --as}, i.e. {@code RLIMIT_AS}) of {@code memory} MiB plus a fixed allowance for
 * the loader, shared libraries and stacks. An allocation past it fails inside the process
 * (python raises {@code MemoryError}, C's {@code malloc} returns NULL), so a memory hog fails
 * cleanly with its own exit status and the server is untouched.
 *
 * <p>Address space is not resident memory: it suits native programs and interpreters such as
 * python, sh or jq (which start in under 32 MiB). Runtimes that reserve large virtual ranges up
 * front cannot start under a small limit — node needs about 800 MiB of address space to print a
 * line (and under 128 MiB it hangs rather than fails), the JVM and Go programs need more — so
 * such a process function needs a larger {@code memory}, or a server running with {@link #NONE}.
 *
 * @param allowanceBytes added to the function's {@code memory}; negative means no limit at all
 */
public record AddressSpaceLimit(long allowanceBytes) {

    /** Enough for python's and a C program's own mappings on top of what the function asked for. */
    public static final long DEFAULT_ALLOWANCE_BYTES = 64L << 20;
    public static final AddressSpaceLimit DEFAULT = new AddressSpaceLimit(DEFAULT_ALLOWANCE_BYTES);
    /** Memory is only metered, not enforced. */
    public static final AddressSpaceLimit NONE = new AddressSpaceLimit(-1);

    private static final String PRLIMIT = "/usr/bin/prlimit";

    public boolean enforced() {
        return allowanceBytes >= 0;
    }

    /** The bytes of address space a function with {@code memoryMb} gets. */
    public long bytesFor(int memoryMb) {
        return ((long) memoryMb << 20) + allowanceBytes;
    }

    /** The words to put before the command ({@code prlimit} sets the limit on itself and execs it, keeping the pid). */
    public List<String> prefix(int memoryMb) {
        return enforced() ? List.of(PRLIMIT, "--as=" + bytesFor(memoryMb), "--") : List.of();
    }
}
