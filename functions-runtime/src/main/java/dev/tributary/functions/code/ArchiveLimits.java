package dev.tributary.functions.code;

/**
 * Bounds on an archive of function code, checked while it is packed, when a deploy brings it and
 * while it is unpacked, so a zip bomb or a runaway directory fails with a named limit instead of
 * filling the disk.
 *
 * @param maxEntries       files and directories in one archive
 * @param maxUnpackedBytes the sum of the unpacked sizes of its files (counted while inflating, not
 *                         taken from the headers, which an attacker writes)
 */
public record ArchiveLimits(int maxEntries, long maxUnpackedBytes) {

    /** 20,000 entries and 512 MiB unpacked: room for a function with vendored dependencies. */
    public static final ArchiveLimits DEFAULTS = new ArchiveLimits(20_000, 512L * 1024 * 1024);

    public ArchiveLimits {
        if (maxEntries < 1 || maxUnpackedBytes < 1) {
            throw new IllegalArgumentException("Expected positive archive limits, but got " + maxEntries + " entries and "
                    + maxUnpackedBytes + " bytes");
        }
    }
}
